//! The built-in detectors, one per file, registered in [`builtin`] under
//! stable ids. The order is the priority when two patterns match at the
//! same place: specific shapes (secrets, IBANs, resident numbers, cards)
//! before general ones (phones, addresses).

mod common;

pub mod address;
pub mod aws_access_key;
pub mod aws_secret_key;
pub mod date_of_birth;
pub mod email;
pub mod entrance_code;
pub mod gcp_api_key;
pub mod iban;
pub mod ip_address;
pub mod jp_my_number;
pub mod jwt;
pub mod jwt_secret;
pub mod kr_brn;
pub mod kr_drivers_license;
pub mod kr_frn;
pub mod kr_passport;
pub mod kr_pccc;
pub mod kr_rrn;
pub mod payment_card;
pub mod person_name;
pub mod phone;
pub mod postal_code;
pub mod private_key;
pub mod tw_arc;
pub mod tw_national_id;
pub mod us_itin;
pub mod us_ssn;

use crate::detector::{Detector, Validator, Verdict};

/// Every built-in detector, in priority order.
#[must_use]
pub fn builtin() -> Vec<Detector> {
    vec![
        private_key::detector(),
        jwt::detector(),
        jwt_secret::detector(),
        aws_secret_key::detector(),
        aws_access_key::detector(),
        gcp_api_key::detector(),
        date_of_birth::detector(),
        postal_code::detector(),
        person_name::detector(),
        entrance_code::detector(),
        email::detector(),
        iban::detector(),
        kr_rrn::detector(),
        kr_frn::detector(),
        payment_card::detector(),
        kr_drivers_license::detector(),
        kr_brn::detector(),
        us_itin::detector(),
        us_ssn::detector(),
        jp_my_number::detector(),
        kr_pccc::detector(),
        kr_passport::detector(),
        tw_national_id::detector(),
        tw_arc::detector(),
        phone::detector(),
        ip_address::detector(),
        address::detector(),
    ]
}

/// A validator a user-defined detector can name in its config: a built-in
/// detector's id (lowercase) or one of the generic checks.
#[must_use]
pub fn validator_by_name(name: &str) -> Option<Validator> {
    let generic: Option<Validator> = match name {
        "none" => Some(|_| Some(Verdict::new(0.6))),
        "luhn" => Some(|s| steward_model::checks::is_luhn_valid(s).then_some(Verdict::new(0.8))),
        "mod97" | "iban" => {
            Some(|s| steward_model::checks::is_valid_iban(s).then_some(Verdict::new(0.9)))
        }
        _ => None,
    };
    generic.or_else(|| {
        builtin()
            .into_iter()
            .find(|d| d.id.eq_ignore_ascii_case(name))
            .map(|d| d.validate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_categories_known() {
        let all = builtin();
        let ids: HashSet<_> = all.iter().map(|d| d.id.clone()).collect();
        assert_eq!(ids.len(), all.len());
        for d in &all {
            assert!(
                steward_model::category::DataCategory::new(&d.category).is_ok(),
                "{}: unknown category {}",
                d.id,
                d.category
            );
            assert!(!d.description.is_empty(), "{} has no description", d.id);
        }
    }

    #[test]
    fn validators_resolve_by_name() {
        assert!(validator_by_name("luhn").is_some());
        assert!(validator_by_name("kr_rrn").is_some());
        assert!(validator_by_name("nope").is_none());
    }
}
