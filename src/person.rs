//! Chinese resident ID numbers (GB 11643): shape, ISO 7064 MOD 11-2 check character, birth date,
//! sex and age, and the keyed hash that replaces every personal identifier before anything is
//! written.
//!
//! Ingest derives the person facts from raw numbers *before* hashing them (afterwards they are
//! gone), the rules read those facts (R03, R04), and the sample generator uses the same check
//! character so that its numbers are valid.

use chrono::{Datelike, NaiveDate};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Weights of the first 17 characters in ISO 7064 MOD 11-2 as GB 11643 uses it.
const CHECK_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder of the weighted sum modulo 11.
const CHECK_CHARACTERS: [u8; 11] = *b"10X98765432";

/// The form a normalised person identifier takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdForm {
    /// 17 digits and a digit or `X`, with a correct check character and a real birth date.
    RawValid,
    /// Raw shape, but the check character is wrong.
    RawBadCheck,
    /// Raw shape and a correct check character, but characters 7–14 are not a real date.
    RawBadBirthDate,
    /// A 64-hex keyed hash (already pseudonymised upstream).
    Hashed,
    /// Neither shape.
    Malformed,
}

impl IdForm {
    /// Stable name used in tables and evidence.
    pub fn name(self) -> &'static str {
        match self {
            IdForm::RawValid => "raw_valid",
            IdForm::RawBadCheck => "raw_bad_check",
            IdForm::RawBadBirthDate => "raw_bad_birth_date",
            IdForm::Hashed => "hashed",
            IdForm::Malformed => "malformed",
        }
    }

    /// Whether the number has the raw 18-character shape (valid or not).
    pub fn is_raw(self) -> bool {
        matches!(self, IdForm::RawValid | IdForm::RawBadCheck | IdForm::RawBadBirthDate)
    }
}

/// Facts derived from one identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonFacts {
    pub form: IdForm,
    /// Birth date, for raw numbers whose date is real (even when the check character is wrong).
    pub birth_date: Option<NaiveDate>,
    /// `true` for male (odd 17th digit), raw numbers only.
    pub male: Option<bool>,
}

/// Normalises an identifier as the data contract says: trim, final `x` → `X`, hex lower-cased.
pub fn normalise_id(text: &str) -> String {
    let trimmed = text.trim();
    if is_hex_hash(&trimmed.to_ascii_lowercase()) {
        return trimmed.to_ascii_lowercase();
    }
    if trimmed.len() == 18 && trimmed.ends_with('x') {
        let mut owned = trimmed[..17].to_string();
        owned.push('X');
        return owned;
    }
    trimmed.to_string()
}

/// A lower-case 64-character hex string (the shape of an HMAC-SHA256 digest).
pub fn is_hex_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The check character for the first 17 digits, or `None` when they are not 17 ASCII digits.
pub fn check_character(first_seventeen: &str) -> Option<char> {
    let bytes = first_seventeen.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes.iter().zip(CHECK_WEIGHTS).map(|(b, w)| (b - b'0') as u32 * w).sum();
    Some(CHECK_CHARACTERS[(sum % 11) as usize] as char)
}

/// Derives the form, birth date and sex of a *normalised* identifier.
pub fn person_facts(normalised: &str) -> PersonFacts {
    if is_hex_hash(normalised) {
        return PersonFacts { form: IdForm::Hashed, birth_date: None, male: None };
    }
    let bytes = normalised.as_bytes();
    let raw_shape = bytes.len() == 18
        && bytes[..17].iter().all(u8::is_ascii_digit)
        && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
    if !raw_shape {
        return PersonFacts { form: IdForm::Malformed, birth_date: None, male: None };
    }
    let birth_date = NaiveDate::parse_from_str(&normalised[6..14], "%Y%m%d").ok();
    let male = Some((bytes[16] - b'0') % 2 == 1);
    let check_ok = check_character(&normalised[..17]) == Some(bytes[17] as char);
    let form = match (check_ok, birth_date) {
        (false, _) => IdForm::RawBadCheck,
        (true, None) => IdForm::RawBadBirthDate,
        (true, Some(_)) => IdForm::RawValid,
    };
    PersonFacts { form, birth_date, male }
}

/// Age in completed years on `on` for someone born on `birth`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The keyed hash that replaces identifiers in every output.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
}

impl Pseudonymiser {
    /// The key shipped for `demo` and `sample`: public, so never use it on real data.
    pub const DEMO_KEY: &'static str = "traincredit-demo-key-NOT-SECRET";

    pub fn new(key: &[u8]) -> Pseudonymiser {
        Pseudonymiser { mac: Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length") }
    }

    /// HMAC-SHA256 of the normalised identifier as 64 lower-case hex characters; an identifier that
    /// is already a 64-hex hash is returned as it is.
    pub fn pseudonymise(&self, normalised: &str) -> String {
        if is_hex_hash(normalised) {
            return normalised.to_string();
        }
        hex::encode(self.digest(normalised))
    }

    /// The 32 bytes whose hex form [`Pseudonymiser::pseudonymise`] returns: half the size of
    /// the text, and sorted in the same order.
    pub fn digest(&self, normalised: &str) -> [u8; 32] {
        let mut digest = [0u8; 32];
        if is_hex_hash(normalised) && hex::decode_to_slice(normalised, &mut digest).is_ok() {
            return digest;
        }
        let mut mac = self.mac.clone();
        mac.update(normalised.as_bytes());
        digest.copy_from_slice(&mac.finalize().into_bytes());
        digest
    }

    /// A short public mark of the key: the first 16 hex characters of the HMAC of a fixed text
    /// that is no identifier. Runs record it, so a run chained to another (`--previous`) can tell
    /// that both were pseudonymised under the same key without either holding the key.
    pub fn fingerprint(&self) -> String {
        let mut mac = self.mac.clone();
        mac.update(b"traincredit key fingerprint v1");
        hex::encode(&mac.finalize().into_bytes()[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn check_characters_of_hand_checked_numbers() {
        // 11010519491231002X: the GB 11643 example number; weighted sum 167, 167 mod 11 = 2 → 'X'.
        assert_eq!(check_character("11010519491231002"), Some('X'));
        // 440524188001010014: the standard's other example; weighted sum 195, 195 mod 11 = 8 → '4'.
        assert_eq!(check_character("44052418800101001"), Some('4'));
        assert_eq!(check_character("1101051949123100"), None);
        assert_eq!(check_character("1101051949123100A"), None);
    }

    #[test]
    fn facts_of_valid_invalid_and_hashed_numbers() {
        let facts = person_facts("11010519491231002X");
        assert_eq!(facts.form, IdForm::RawValid);
        assert_eq!(facts.birth_date, Some(date(1949, 12, 31)));
        assert_eq!(facts.male, Some(false)); // 17th digit 2: even → female
        let facts = person_facts("440524188001010014");
        assert_eq!(facts.form, IdForm::RawValid);
        assert_eq!(facts.birth_date, Some(date(1880, 1, 1)));
        assert_eq!(facts.male, Some(true));
        assert_eq!(person_facts("110105194912310021").form, IdForm::RawBadCheck);
        // 19490231 is not a date; check character computed for these 17 digits.
        let bad_date = format!("11010519490231002{}", check_character("11010519490231002").unwrap());
        assert_eq!(person_facts(&bad_date).form, IdForm::RawBadBirthDate);
        assert_eq!(person_facts(&"ab".repeat(32)).form, IdForm::Hashed);
        assert_eq!(person_facts("1101051949123100").form, IdForm::Malformed);
        assert_eq!(person_facts("").form, IdForm::Malformed);
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalise_id(" 11010519491231002x "), "11010519491231002X");
        assert_eq!(normalise_id(&"AB".repeat(32)), "ab".repeat(32));
        assert_eq!(normalise_id("x"), "x");
    }

    #[test]
    fn ages_in_completed_years() {
        let birth = date(2010, 7, 15);
        assert_eq!(age_on(birth, date(2026, 7, 14)), 15);
        assert_eq!(age_on(birth, date(2026, 7, 15)), 16);
        // Born on 29 February: a year is completed on 1 March in non-leap years.
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 28)), 17);
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 3, 1)), 18);
    }

    #[test]
    fn pseudonyms_are_keyed_stable_and_pass_hashes_through() {
        let one = Pseudonymiser::new(b"key-one");
        let two = Pseudonymiser::new(b"key-two");
        let hashed = one.pseudonymise("11010519491231002X");
        assert_eq!(hashed.len(), 64);
        assert!(is_hex_hash(&hashed));
        assert_eq!(hashed, one.pseudonymise("11010519491231002X"));
        assert_ne!(hashed, two.pseudonymise("11010519491231002X"));
        assert_eq!(one.pseudonymise(&hashed), hashed);
        // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
        assert_eq!(
            Pseudonymiser::new(b"Jefe").pseudonymise("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
