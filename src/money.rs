//! Money: exact to the fen. Read as `Decimal` (or a double rounded half-up to 0.01 yuan), held
//! as integer fen (`i64`) in every computation, written back as `decimal(14,2)`. No `f64` ever
//! carries an amount of money.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// The largest amount in fen a run's `decimal(14,2)` money columns hold (999,999,999,999.99
/// yuan); a larger one in an export is no amount of this world and its row is rejected.
pub const MAX_FEN: i64 = 99_999_999_999_999;

/// Fen (0.01 yuan) of a decimal amount, rounded half-up (away from zero) to the fen.
pub fn fen_from_decimal(value: Decimal) -> Option<i64> {
    (value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero) * Decimal::from(100)).to_i64()
}

/// Fen of a double, as the shortest decimal text that reads back as the same double, rounded
/// half-up: 0.125 → 13 fen, 1.005 → 101 fen (what the writer meant, not its binary error).
pub fn fen_from_f64(value: f64) -> Option<i64> {
    if !value.is_finite() {
        return None;
    }
    Decimal::from_str(&format!("{value}")).ok().and_then(fen_from_decimal)
}

/// Fen of a decimal's unscaled integer at `scale` digits, rounded half-up to the fen.
pub fn fen_from_unscaled(unscaled: i128, scale: usize) -> Option<i64> {
    if scale <= 2 {
        let factor = 10i128.checked_pow((2 - scale) as u32)?;
        return i64::try_from(unscaled.checked_mul(factor)?).ok();
    }
    let divisor = 10i128.checked_pow((scale - 2) as u32)?;
    let quotient = unscaled / divisor;
    let remainder = unscaled % divisor;
    let rounded = if 2 * remainder.abs() >= divisor { quotient + unscaled.signum() } else { quotient };
    i64::try_from(rounded).ok()
}

/// `part × numerator ÷ denominator`, rounded half-up to the fen (e.g. a recovery at the paid
/// share of a claim). `denominator` must be positive.
pub fn scale_half_up(part: i64, numerator: i64, denominator: i64) -> i64 {
    debug_assert!(denominator > 0);
    let product = part as i128 * numerator as i128;
    let denominator = denominator as i128;
    let quotient = product.div_euclid(denominator);
    let remainder = product.rem_euclid(denominator);
    (if 2 * remainder >= denominator { quotient + 1 } else { quotient }) as i64
}

/// Yuan text of an amount in fen: 123456 → "1234.56", -5 → "-0.05".
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (fen / 100).abs(), (fen % 100).abs())
}

/// 万元 text of an amount in fen, exact (one 万元 is 1,000,000 fen, so six decimals hold every
/// fen): 1234567 → "1.234567", 100 → "0.000100". Integer arithmetic only: a credit platform's
/// amount must add up to the fen the bureau recovers.
pub fn wan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:06}", (fen / 1_000_000).abs(), (fen % 1_000_000).abs())
}

/// The decimal value of an amount in fen.
pub fn decimal_from_fen(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_round_half_up_to_the_fen() {
        assert_eq!(fen_from_f64(0.125), Some(13));
        assert_eq!(fen_from_f64(1.005), Some(101));
        assert_eq!(fen_from_f64(1234.56), Some(123456));
        assert_eq!(fen_from_f64(0.004), Some(0));
        assert_eq!(fen_from_f64(f64::NAN), None);
    }

    #[test]
    fn unscaled_decimals() {
        assert_eq!(fen_from_unscaled(123456, 2), Some(123456));
        assert_eq!(fen_from_unscaled(12, 0), Some(1200));
        assert_eq!(fen_from_unscaled(12345, 3), Some(1235));
        assert_eq!(fen_from_unscaled(12344, 3), Some(1234));
        assert_eq!(fen_from_unscaled(-12345, 3), Some(-1235));
    }

    #[test]
    fn shares_round_half_up() {
        // 100.01 yuan at a paid share of 1/2 is 50.005 → 50.01.
        assert_eq!(scale_half_up(10001, 1, 2), 5001);
        assert_eq!(scale_half_up(10000, 1, 3), 3333);
        assert_eq!(scale_half_up(10000, 2, 3), 6667);
        assert_eq!(scale_half_up(0, 5, 7), 0);
    }

    #[test]
    fn yuan_text() {
        assert_eq!(yuan(123456), "1234.56");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-5), "-0.05");
    }

    #[test]
    fn wan_text_is_exact_to_the_fen() {
        // 12,345.67 yuan.
        assert_eq!(wan(1_234_567), "1.234567");
        assert_eq!(wan(1), "0.000001");
        assert_eq!(wan(1_000_000), "1.000000");
        assert_eq!(wan(123_456_789_012), "123456.789012");
        assert_eq!(wan(-1_234_567), "-1.234567");
        assert_eq!(wan(0), "0.000000");
    }
}
