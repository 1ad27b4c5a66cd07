//! Worked examples of DOMAIN.md §2.6, computed from the published formulas.

use super::*;

#[test]
fn rrn_examples() {
    for valid in ["960121-1021413", "050912-2000019"] {
        let c = check_rrn(valid);
        assert!(
            c.shape && c.date && c.citizen && c.rrn_checksum,
            "{valid}: {c:?}"
        );
    }
    let bad = check_rrn("960121-1234567");
    assert!(bad.date && !bad.rrn_checksum);
    assert!(!check_rrn("961321-1021413").date, "month 13");
    assert!(!check_rrn("960121-102141").shape);
    assert!(!check_rrn("96O121-1021413").shape, "letter O");
}

#[test]
fn frn_examples_use_the_other_formula() {
    for valid in ["911124-5678906", "050912-6000012"] {
        let c = check_rrn(valid);
        assert!(
            c.frn_checksum && !c.rrn_checksum && !c.citizen,
            "{valid}: {c:?}"
        );
    }
}

#[test]
fn brn_examples() {
    for valid in ["104-86-56659", "104-82-13138", "116-82-00276"] {
        assert!(is_valid_brn(valid), "{valid}");
    }
    for invalid in ["104-86-56658", "123-45-67890", "104-86-5665"] {
        assert!(!is_valid_brn(invalid), "{invalid}");
    }
}

#[test]
fn my_number_examples() {
    assert!(is_valid_my_number("6214 9832 0257"));
    assert!(!is_valid_my_number("6214 9832 0258"));
}

#[test]
fn tw_id_examples() {
    assert!(is_valid_tw_id("A123456789"));
    assert!(is_valid_tw_id("F131104093"));
    assert!(!is_valid_tw_id("A123456788"));
    assert!(!is_valid_tw_id("A323456789"), "sex digit 3");
    assert_eq!(tw_letter_code('I'), Some(34));
    assert_eq!(tw_letter_code('z'), Some(33));
    assert_eq!(tw_letter_code('1'), None);
}

#[test]
fn luhn_and_test_pans() {
    assert!(is_luhn_valid("4111111111111111"));
    assert!(is_luhn_valid("5555555555554444"));
    assert!(!is_luhn_valid("4012888888881882"));
    assert!(is_test_pan("4111 1111 1111 1111"));
    assert!(!is_test_pan("4539578763621486"));
    assert_eq!(
        luhn_check_digit(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        1
    );
}

#[test]
fn iban_examples() {
    assert!(is_valid_iban("GB29NWBK60161331926819"));
    assert!(is_valid_iban("DE89 3704 0044 0532 0130 00"));
    assert!(!is_valid_iban("GB29NWBK60161331926818"));
    assert!(!is_valid_iban("XX29NWBK60161331926819"));
    assert_eq!(iban_check_digits("GB", "NWBK60161331926819"), Some(29));
    assert_eq!(iban_check_digits("DE", "370400440532013000"), Some(89));
}

#[test]
fn us_numbers() {
    assert!(is_valid_ssn("536-22-1234"));
    for bad in [
        "000-12-3456",
        "666-12-3456",
        "901-12-3456",
        "123-00-4567",
        "123-45-0000",
        "078-05-1120",
        "111-11-1111",
    ] {
        assert!(!is_valid_ssn(bad), "{bad}");
    }
    assert!(is_valid_itin("912-70-1234"));
    assert!(is_valid_itin("912-55-1234"));
    assert!(!is_valid_itin("912-93-1234"), "ATIN");
    assert!(is_valid_aba("021000021"));
    assert!(!is_valid_aba("021000022"));
}

#[test]
fn dates_and_digits() {
    assert!(is_real_date(2024, 2, 29));
    assert!(!is_real_date(2023, 2, 29));
    assert!(!is_real_date(1900, 2, 29));
    assert!(is_real_date(2000, 2, 29));
    assert_eq!(digits("０１2-3"), Some(vec![0, 1, 2, 3]));
    assert_eq!(digits("12a"), None);
}
