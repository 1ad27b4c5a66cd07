//! Helpers the detectors share: digit extraction, separator rules and
//! entropy.

use steward_model::checks;

/// Digits of `s` when every other character is a `-`, space or `.`
/// separator.
pub fn digits(s: &str) -> Option<Vec<u8>> {
    checks::digits(s)
}

/// True when a grouped number uses one separator throughout (or none), so
/// `010-1234-5678` and `01012345678` pass but `010-1234 5678` does not.
pub fn consistent_separators(s: &str) -> bool {
    let mut seps = s.chars().filter(|c| !c.is_ascii_alphanumeric());
    match seps.next() {
        None => true,
        Some(first) => seps.all(|c| c == first),
    }
}

/// True when `s` contains a separator between digit groups.
pub fn has_separator(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '-' | ' ' | '.'))
}

/// Shannon entropy of `s` in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        if let Some(c) = counts.get_mut(usize::from(b)) {
            *c += 1;
        }
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum()
}

/// True when every digit is the same (`000000-0000000`), the shape of an
/// example value rather than a real one.
pub fn all_same_digit(s: &str) -> bool {
    let mut ds = s.bytes().filter(u8::is_ascii_digit);
    ds.next().is_none_or(|first| ds.all(|d| d == first))
}

/// Confidence for a Korean resident- or foreigner-number shape: a hyphen
/// and a check digit make it near certain; thirteen bare digits are often
/// something else (Korean EAN-13 barcodes start with 880), so they need a
/// context word or column name, and a valid EAN-13 check digit lowers them
/// further.
pub fn resident_confidence(checksum: bool, s: &str) -> f32 {
    let base = match (checksum, has_separator(s)) {
        (true, true) => 0.95,
        (false, true) => 0.55,
        (true, false) => 0.5,
        (false, false) => 0.25,
    };
    if !has_separator(s) && is_ean13(s) {
        base - 0.2
    } else {
        base
    }
}

/// True when thirteen digits carry a valid EAN-13 (GS1) check digit.
pub fn is_ean13(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    let (Some(check), 13) = (d.last(), d.len()) else {
        return false;
    };
    let sum: u32 = d
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, x)| u32::from(*x) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(*check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_entropy() {
        assert!(consistent_separators("010-1234-5678"));
        assert!(consistent_separators("01012345678"));
        assert!(!consistent_separators("010-1234 5678"));
        assert!(entropy("aaaaaaaa") < 0.01);
        assert!(entropy("jMmbvjcgWH15DgV8AJDRVth1kIzFHy2n") > 4.0);
        assert!(all_same_digit("000-00-0000"));
        assert!(!all_same_digit("000-00-0001"));
        assert!(is_ean13("8801234567893"));
        assert!(!is_ean13("8801234567890"));
    }
}
