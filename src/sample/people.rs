//! Identifiers that look and check like real ones: resident ID numbers (GB 11643, with the shared
//! ISO 7064 check character), mobile numbers, bank cards (Luhn), corporate accounts and unified
//! social credit codes (GB 32100, with their own check characters).
//!
//! The engine validates ID numbers (R03) and matches people, phones and accounts across tables, so
//! the honest sample must be valid and collision-free, and the planted cases must be wrong in
//! exactly the way the truth file says. Uniqueness comes from bijections on a running index, not
//! from luck.

use crate::person::check_character;
use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// Issues unique, valid ID numbers.
#[derive(Default)]
pub struct IdIssuer {
    issued: HashSet<String>,
}

impl IdIssuer {
    /// A valid, unused 18-character ID number for someone born on `birth` in `area_code`.
    pub fn issue(&mut self, rng: &mut ChaCha8Rng, area_code: &str, birth: NaiveDate, male: bool) -> String {
        loop {
            let sequence: u32 = rng.gen_range(0..500) * 2 + u32::from(male);
            let first17 = format!("{area_code}{}{:03}", birth.format("%Y%m%d"), sequence);
            let check = check_character(&first17).expect("17 digits");
            let number = format!("{first17}{check}");
            if self.issued.insert(number.clone()) {
                return number;
            }
        }
    }

    /// Marks a number as taken (so planted look-alikes never collide with honest people).
    pub fn reserve(&mut self, number: &str) -> bool {
        self.issued.insert(number.to_string())
    }
}

/// An ID with the shape of a real one but a wrong check character (R03).
pub fn with_wrong_check(valid: &str) -> String {
    let right = valid.as_bytes()[17];
    let wrong = if right == b'7' { '3' } else { '7' };
    format!("{}{}", &valid[..17], wrong)
}

/// An ID whose birth date is not a real date (30 February) but whose check character is right (R03).
pub fn with_impossible_birth_date(area_code: &str, year: i32, sequence: u32) -> String {
    let first17 = format!("{area_code}{year:04}0230{sequence:03}");
    let check = check_character(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A birth date giving `age` completed years on `on`, with a random day in that year of life.
pub fn birth_for_age(rng: &mut ChaCha8Rng, on: NaiveDate, age: i32) -> NaiveDate {
    // Born between (on − age − 1 years + 1 day) and (on − age years).
    let latest = years_before(on, age);
    let earliest = years_before(on, age + 1).succ_opt().expect("valid date");
    let span = (latest - earliest).num_days();
    earliest + chrono::Duration::days(rng.gen_range(0..=span))
}

/// The same calendar day `years` earlier (29 February falls back to 28 February).
pub fn years_before(date: NaiveDate, years: i32) -> NaiveDate {
    let year = date.year() - years;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .expect("valid date")
}

/// Mobile prefixes of the three carriers (1[3-9]x).
const MOBILE_PREFIXES: [u64; 32] = [
    134, 135, 136, 137, 138, 139, 150, 151, 152, 157, 158, 159, 182, 183, 187, 188, 130, 131, 132, 155, 156, 185, 186,
    176, 133, 153, 180, 181, 189, 177, 199, 166,
];

/// A mobile number unique to `index`: the last eight digits are a bijection of the index.
pub fn phone(rng: &mut ChaCha8Rng, index: u64) -> u64 {
    let prefix = MOBILE_PREFIXES[rng.gen_range(0..MOBILE_PREFIXES.len())];
    let body = (index.wrapping_mul(7_919_113).wrapping_add(21_474_836)) % 100_000_000;
    prefix * 100_000_000 + body
}

/// Issuer identification numbers of debit cards common in Shandong (ICBC, ABC, CCB, BOC, PSBC,
/// Qilu Bank).
const CARD_BINS: [u64; 6] = [622202, 622848, 621700, 621661, 621799, 623058];

/// A debit card number unique to `index`: 16 or 19 digits ending in a Luhn check digit.
pub fn bank_card(rng: &mut ChaCha8Rng, index: u64) -> u64 {
    let bin = CARD_BINS[rng.gen_range(0..CARD_BINS.len())];
    let long = rng.gen_bool(0.6);
    let (digits, modulus) = if long { (12u32, 1_000_000_000_000u64) } else { (9u32, 1_000_000_000u64) };
    let body = (index.wrapping_mul(104_729).wrapping_add(7_654_321)) % modulus;
    let without_check = bin * 10u64.pow(digits) + body;
    without_check * 10 + luhn_digit(without_check)
}

/// Luhn check digit for a number without it.
fn luhn_digit(number: u64) -> u64 {
    let mut sum = 0;
    let mut rest = number;
    let mut double = true;
    while rest > 0 {
        let mut digit = rest % 10;
        if double {
            digit *= 2;
            if digit > 9 {
                digit -= 9;
            }
        }
        sum += digit;
        double = !double;
        rest /= 10;
    }
    (10 - sum % 10) % 10
}

/// A corporate settlement account (对公账户): a bank's branch prefix, a serial unique to `index`
/// (its last five digits) and random digits between.
pub fn corporate_account(rng: &mut ChaCha8Rng, index: u64) -> String {
    let prefixes = ["1602", "3705", "1530", "2350"];
    let prefix = prefixes[rng.gen_range(0..prefixes.len())];
    let middle: u64 = rng.gen_range(0..10_000_000_000);
    format!("{prefix}{middle:010}{:05}", index % 100_000)
}


/// A unified social credit code (统一社会信用代码): registration department and kind (`91`
/// enterprise, `12` public institution, `52` private non-enterprise unit), area code, a GB 11714
/// organisation code with its check character, and the GB 32100 check character.
pub fn social_credit_code(rng: &mut ChaCha8Rng, kind_prefix: &str, area_code: &str, new_style: bool) -> String {
    let mut body = String::with_capacity(8);
    if new_style {
        // Codes issued since 2015 in Shandong start with MA3.
        body.push_str("MA3");
        for _ in 0..5 {
            body.push(crate::ingest::credit_code::ALPHABET.as_bytes()[rng.gen_range(0..31)] as char);
        }
    } else {
        for _ in 0..8 {
            body.push((b'0' + rng.gen_range(0..10)) as char);
        }
    }
    let organisation = format!("{body}{}", organisation_check(&body));
    let first17 = format!("{kind_prefix}{area_code}{organisation}");
    let check = crate::ingest::credit_code::check_character(&first17).expect("17 characters of the code alphabet");
    format!("{first17}{check}")
}

fn char_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        _ => (c - b'A') as u32 + 10,
    }
}

/// GB 11714 check character of an 8-character organisation code body.
fn organisation_check(body: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(c, w)| char_value(c) * w).sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        value => (b'0' + value as u8) as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{person_facts, IdForm};
    use rand::SeedableRng;

    #[test]
    fn issued_numbers_are_valid_and_planted_ones_are_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut issuer = IdIssuer::default();
        let birth = NaiveDate::from_ymd_opt(1990, 5, 17).unwrap();
        for _ in 0..50 {
            let id = issuer.issue(&mut rng, "370102", birth, true);
            assert_eq!(person_facts(&id).form, IdForm::RawValid);
            assert_eq!(person_facts(&id).male, Some(true));
            assert_eq!(person_facts(&with_wrong_check(&id)).form, IdForm::RawBadCheck);
        }
        assert_eq!(person_facts(&with_impossible_birth_date("370103", 1988, 123)).form, IdForm::RawBadBirthDate);
    }

    #[test]
    fn cards_pass_luhn_and_phones_have_eleven_digits() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for index in 0..100 {
            let card = bank_card(&mut rng, index).to_string();
            assert!(card.len() == 16 || card.len() == 19, "{card}");
            let number: u64 = card.parse().unwrap();
            assert_eq!(luhn_digit(number / 10), number % 10);
            assert_eq!(phone(&mut rng, index).to_string().len(), 11);
        }
        // 7992739871 → check digit 3 (the textbook Luhn example).
        assert_eq!(luhn_digit(7_992_739_871), 3);
    }

    #[test]
    fn credit_codes_have_their_check_characters() {
        // 91350100M000100Y43 is a published example code: its organisation code's check is 4.
        assert_eq!(organisation_check("M000100Y"), '4');
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let code = social_credit_code(&mut rng, "91", "370100", true);
        assert_eq!(code.len(), 18);
        assert!(code.starts_with("91370100MA3"));
        assert_eq!(crate::ingest::credit_code::check(Some(&code)), Ok(()));
    }

    #[test]
    fn birth_dates_give_the_age_asked_for() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        for age in [16, 18, 35, 55, 60] {
            let birth = birth_for_age(&mut rng, on, age);
            assert_eq!(crate::person::age_on(birth, on), age);
        }
    }
}
