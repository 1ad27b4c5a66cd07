//! `IBAN`: international bank account number (ISO 13616).
//!
//! **What it detects.** A country code, two check digits and the BBAN,
//! compact or in groups of four.
//!
//! **Why it matters.** With a name, an IBAN is enough to set up a direct
//! debit.
//!
//! **Validation.** The registered length for the country and
//! `mod 97 = 1` after moving the first four characters to the end.
//!
//! **Example.** `DE89370400440532013000`, `GB29 NWBK 6016 1331 9268 19`.
//!
//! **False positives.** Practically none once mod 97 and length hold.
//!
//! **References.** shared/DOMAIN.md §2.5; ISO 13616 registry.

use steward_model::category::keys;
use steward_model::checks::is_valid_iban;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("IBAN", "International bank account number", keys::BANK_ACCOUNT, validate)
        .pattern(r"(?-u:\b)[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?-u:\b)")
        .context(&["iban", "bank account", "account", "konto", "compte", "conto", "cuenta", "rekening"])
        .columns(&["iban", "bankaccount", "accountno"])
        .describe("IBAN with the registered length and a valid mod-97 check.")
}

fn validate(s: &str) -> Option<Verdict> {
    if !is_valid_iban(s) {
        return None;
    }
    let country = s.get(..2)?;
    let known = steward_model::jurisdiction::Country::parse(country).ok()?;
    Some(Verdict::new(0.95).of(static_code(known.code())?))
}

/// The `'static` form of a country code the IBAN table knows.
fn static_code(code: &str) -> Option<&'static str> {
    const CODES: &[&str] = &[
        "AD", "AE", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
        "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL",
        "PT", "RO", "SA", "SE", "SI", "SK", "SM", "TR",
    ];
    CODES.iter().copied().find(|c| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod97() {
        assert_eq!(
            validate("DE89370400440532013000").and_then(|v| v.jurisdiction),
            Some("DE")
        );
        assert!(validate("GB29 NWBK 6016 1331 9268 19").is_some());
        assert_eq!(validate("GB29NWBK60161331926818"), None);
        assert_eq!(validate("DE46952529535883203312"), None);
    }
}
