//! `PAYMENT_CARD`: payment card numbers (PAN).
//!
//! **What it detects.** 13–19 digits, bare or grouped (4-4-4-4, Amex
//! 4-6-5), with a known issuer prefix.
//!
//! **Why it matters.** PCI DSS scope, direct fraud.
//!
//! **Validation.** Luhn; issuer ranges (Visa 4, Mastercard 51–55 and
//! 2221–2720, Amex 34/37, Discover 6011/644–649/65, JCB 3528–3589, Diners
//! 300–305/36/38–39, UnionPay 62, Maestro 50/56–69); reserved test numbers
//! are dropped; one separator style throughout.
//!
//! **Example.** `5440-5819-4630-2888`.
//!
//! **False positives.** Any Luhn-valid number with a card prefix; test
//! numbers such as 4111111111111111 are never reported.
//!
//! **References.** shared/DOMAIN.md §2.5 and §2.7 (Macie's test PAN list).

use steward_model::category::keys;
use steward_model::checks::{is_luhn_valid, is_test_pan};

use super::common::{all_same_digit, consistent_separators, digits, has_separator};
use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("PAYMENT_CARD", "Payment card number", keys::CREDIT_CARD, validate)
        .pattern(r"(?-u:\b)(?:\d{4}[- ]\d{4}[- ]\d{4}[- ]\d{1,7}|\d{4}[- ]\d{6}[- ]\d{4,5}|[2-6]\d{12,18})(?-u:\b)")
        .context(&["card", "credit card", "debit", "visa", "mastercard", "amex", "카드", "카드번호", "신용카드", "クレジット", "信用卡", "pan"])
        .columns(&["card", "pan", "카드", "cardnumber", "ccnumber", "creditcard"])
        .not_columns(&["cardholder", "cardtype", "cardbrand", "cardexpiry"])
        .describe("Payment card number with Luhn check and issuer range; reserved test numbers excluded.")
}

fn validate(s: &str) -> Option<Verdict> {
    let d = digits(s)?;
    if !(13..=19).contains(&d.len())
        || !consistent_separators(s)
        || !is_luhn_valid(s)
        || is_test_pan(s)
        || all_same_digit(s)
        || !issuer_known(&d)
        || !length_fits(&d)
    {
        return None;
    }
    Some(Verdict::new(if has_separator(s) { 0.9 } else { 0.75 }))
}

fn issuer_known(d: &[u8]) -> bool {
    let prefix = |n: usize| {
        d.iter()
            .take(n)
            .fold(0u32, |acc, x| acc * 10 + u32::from(*x))
    };
    let (p1, p2, p3, p4, p6) = (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6));
    p1 == 4
        || (51..=55).contains(&p2)
        || (2221..=2720).contains(&p4)
        || p2 == 34
        || p2 == 37
        || p4 == 6011
        || (644..=649).contains(&p3)
        || p2 == 65
        || (622_126..=622_925).contains(&p6)
        || (3528..=3589).contains(&p4)
        || (300..=305).contains(&p3)
        || p3 == 309
        || p2 == 36
        || p2 == 38
        || p2 == 39
        || p2 == 62
        || p2 == 50
        || (56..=69).contains(&p2)
}

/// Card lengths per brand: Amex 15, Diners 14–19, Visa 13/16/19,
/// Mastercard 16, others 16–19 (Maestro 12–19).
fn length_fits(d: &[u8]) -> bool {
    let n = d.len();
    let p2 = d
        .iter()
        .take(2)
        .fold(0u32, |acc, x| acc * 10 + u32::from(*x));
    let p4 = d
        .iter()
        .take(4)
        .fold(0u32, |acc, x| acc * 10 + u32::from(*x));
    match p2 {
        34 | 37 => n == 15,
        36 | 38 | 39 | 30 => (14..=19).contains(&n),
        40..=49 => matches!(n, 13 | 16 | 19),
        51..=55 => n == 16,
        50 | 56..=59 | 67 => (12..=19).contains(&n),
        _ if (2221..=2720).contains(&p4) => n == 16,
        _ => (16..=19).contains(&n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_issuer_and_test_numbers() {
        assert!(validate("5440-5819-4630-2888").is_some());
        assert!(validate("340316868438325").is_some());
        assert!(validate("3585-5292-7668-6982").is_some());
        assert_eq!(validate("4111111111111111"), None);
        assert_eq!(validate("4111-1111-1111-1112"), None);
        assert_eq!(validate("4068337903387742"), None);
        assert_eq!(validate("5440-5819 4630-2888"), None);
        // Luhn-valid, Amex prefix, but sixteen digits.
        assert_eq!(validate("3706111423872494"), None);
    }
}
