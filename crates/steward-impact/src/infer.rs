//! Where a person lives when no record says so: the country from the phone
//! number's calling code (or national numbering plan), and for the US,
//! where notification law is state law, the state from the postal address.

use steward_model::impact::JurisdictionBasis;
use steward_model::jurisdiction::Jurisdiction;

use crate::phone::{self, E164};

/// A person's jurisdiction and how it was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Placed {
    /// Country code, if known.
    pub country: Option<&'static str>,
    /// Subdivision code (`US-CA`), if known.
    pub subdivision: Option<String>,
    /// How.
    pub basis: JurisdictionBasis,
}

/// Places a person known only by a phone number and a postal address.
#[must_use]
pub fn place(phone: E164, address: &str) -> Placed {
    let country = phone::country(phone);
    let subdivision = match country {
        Some("US") => us_state(address),
        _ => None,
    };
    let basis = basis(country, subdivision.as_deref());
    Placed {
        country,
        subdivision,
        basis,
    }
}

/// How a person known by phone and address was placed: by the address when
/// it gave the subdivision, else by the phone when it gave the country.
#[must_use]
pub const fn basis(country: Option<&str>, subdivision: Option<&str>) -> JurisdictionBasis {
    match (country, subdivision) {
        (_, Some(_)) => JurisdictionBasis::InferredFromAddress,
        (Some(_), None) => JurisdictionBasis::InferredFromPhone,
        (None, None) => JurisdictionBasis::Unknown,
    }
}

/// The state of a US address written `street, city, ST[ ZIP][ unit]`: the
/// first word of the last comma-separated part, when it is a state or
/// territory code.
#[must_use]
pub fn us_state(address: &str) -> Option<String> {
    let last = address.rsplit(',').next()?;
    let word = last.split_whitespace().next()?;
    if word.len() != 2 || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let code = format!("US-{word}");
    Jurisdiction::parse(&code).ok().map(|_| code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_states_come_from_the_address() {
        assert_eq!(
            us_state("4521 Maple Ave, Austin, TX Apt 3").as_deref(),
            Some("US-TX")
        );
        assert_eq!(
            us_state("12 Pine St, Seattle, WA").as_deref(),
            Some("US-WA")
        );
        assert_eq!(us_state("12 Pine St, Seattle, XX"), None);
        assert_eq!(us_state("서울특별시 강남구 테헤란로 1"), None);
    }

    #[test]
    fn the_basis_says_what_was_used() {
        let us = place(12_065_550_100, "12 Pine St, Seattle, WA");
        assert_eq!(us.country, Some("US"));
        assert_eq!(us.subdivision.as_deref(), Some("US-WA"));
        assert_eq!(us.basis, JurisdictionBasis::InferredFromAddress);
        let kr = place(821_012_345_678, "서울특별시 강남구");
        assert_eq!(
            (kr.country, kr.basis),
            (Some("KR"), JurisdictionBasis::InferredFromPhone)
        );
        let unknown = place(99_912_345_678, "");
        assert_eq!(unknown.basis, JurisdictionBasis::Unknown);
    }
}
