//! Check-digit and range rules of the identifiers steward generates and
//! detects (formulas in `shared/DOMAIN.md` §2). One implementation serves the
//! synthetic platform, which must plant valid values, and the detectors, which
//! must validate them.
//!
//! Every function takes digits or text and never panics.

/// The decimal digits of `s`, ignoring the separators `-`, space and `.`;
/// `None` if any other character appears.
#[must_use]
pub fn digits(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if let Some(d) = digit_or_separator(c)? {
            out.push(d);
        }
    }
    Some(out)
}

/// How [`digits`] reads one character: `Some(Some(d))` for a digit
/// (ASCII or full-width) of value `d`, `Some(None)` for a separator (`-`,
/// space, `.`), `None` for anything else.
#[must_use]
pub fn digit_or_separator(c: char) -> Option<Option<u8>> {
    match c {
        '0'..='9' => Some(Some(c as u8 - b'0')),
        '０'..='９' => Some(Some((c as u32 - '０' as u32) as u8)),
        '-' | ' ' | '.' => Some(None),
        _ => None,
    }
}

fn weighted(ds: &[u8], weights: &[u32]) -> u32 {
    ds.iter().zip(weights).map(|(d, w)| u32::from(*d) * w).sum()
}

const RRN_WEIGHTS: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/// The Korean resident registration number check digit over the first twelve
/// digits: `(11 − S mod 11) mod 10`.
#[must_use]
pub fn rrn_check_digit(first12: &[u8]) -> Option<u8> {
    (first12.len() == 12).then(|| ((11 - weighted(first12, &RRN_WEIGHTS) % 11) % 10) as u8)
}

/// The foreigner registration number check digit as Presidio and Korean web
/// validators compute it: `(13 − S mod 11) mod 10`.
#[must_use]
pub fn frn_check_digit(first12: &[u8]) -> Option<u8> {
    (first12.len() == 12).then(|| ((13 - weighted(first12, &RRN_WEIGHTS) % 11) % 10) as u8)
}

/// The birth year an RRN or FRN gender digit implies for a two-digit year.
#[must_use]
pub fn rrn_century(gender_digit: u8) -> Option<u32> {
    match gender_digit {
        9 | 0 => Some(1800),
        1 | 2 | 5 | 6 => Some(1900),
        3 | 4 | 7 | 8 => Some(2000),
        _ => None,
    }
}

/// True when `year-month-day` is a real calendar date.
#[must_use]
pub fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// What an RRN- or FRN-shaped number passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RrnCheck {
    /// Thirteen digits.
    pub shape: bool,
    /// The first six digits are a real date in the century of the gender digit.
    pub date: bool,
    /// The gender digit is 1–4 or 9/0 (citizen) rather than 5–8 (foreigner).
    pub citizen: bool,
    /// The legacy RRN check digit holds.
    pub rrn_checksum: bool,
    /// The FRN check digit holds.
    pub frn_checksum: bool,
}

/// Checks an RRN- or FRN-shaped number. A post-October-2020 RRN has random
/// digits after the gender digit, so a failed checksum does not rule it out.
#[must_use]
pub fn check_rrn(s: &str) -> RrnCheck {
    let none = RrnCheck {
        shape: false,
        date: false,
        citizen: false,
        rrn_checksum: false,
        frn_checksum: false,
    };
    let Some(d) = digits(s) else { return none };
    let Ok(d) = <[u8; 13]>::try_from(d.as_slice()) else {
        return none;
    };
    let g = d[6];
    let date = rrn_century(g).is_some_and(|century| {
        let year = century + u32::from(d[0]) * 10 + u32::from(d[1]);
        let month = u32::from(d[2]) * 10 + u32::from(d[3]);
        let day = u32::from(d[4]) * 10 + u32::from(d[5]);
        is_real_date(year, month, day)
    });
    let (first12, last) = d.split_at(12);
    let c = last.first().copied();
    RrnCheck {
        shape: true,
        date,
        citizen: matches!(g, 0..=4 | 9),
        rrn_checksum: rrn_check_digit(first12) == c,
        frn_checksum: frn_check_digit(first12) == c,
    }
}

/// The Korean business registration number check digit over nine digits.
#[must_use]
pub fn brn_check_digit(first9: &[u8]) -> Option<u8> {
    let [.., d9] = first9 else { return None };
    if first9.len() != 9 {
        return None;
    }
    let p = 5 * u32::from(*d9);
    let s = weighted(first9, &[1, 3, 7, 1, 3, 7, 1, 3]) + p + p / 10;
    Some(((10 - s % 10) % 10) as u8)
}

/// True when `s` is a ten-digit BRN whose check digit holds.
#[must_use]
pub fn is_valid_brn(s: &str) -> bool {
    digits(s).is_some_and(|d| match d.split_last() {
        Some((last, first9)) if d.len() == 10 => brn_check_digit(first9) == Some(*last),
        _ => false,
    })
}

/// The Japanese My Number check digit over eleven digits.
#[must_use]
pub fn my_number_check_digit(first11: &[u8]) -> Option<u8> {
    if first11.len() != 11 {
        return None;
    }
    let r = weighted(first11, &[6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    Some(if r <= 1 { 0 } else { (11 - r) as u8 })
}

/// True when `s` is a twelve-digit My Number whose check digit holds.
#[must_use]
pub fn is_valid_my_number(s: &str) -> bool {
    digits(s).is_some_and(|d| match d.split_last() {
        Some((last, first11)) if d.len() == 12 => my_number_check_digit(first11) == Some(*last),
        _ => false,
    })
}

/// The two-digit code of a Taiwanese national ID area letter.
#[must_use]
pub fn tw_letter_code(letter: char) -> Option<u8> {
    const CODES: [u8; 26] = [
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32,
        30, 31, 33,
    ];
    let upper = letter.to_ascii_uppercase();
    upper
        .is_ascii_uppercase()
        .then(|| CODES.get(usize::from(upper as u8 - b'A')).copied())
        .flatten()
}

/// The last digit that makes a Taiwanese national ID (or new-format resident
/// certificate) valid, given the letter and the first eight digits.
#[must_use]
pub fn tw_id_check_digit(letter: char, first8: &[u8]) -> Option<u8> {
    let code = tw_letter_code(letter)?;
    if first8.len() != 8 {
        return None;
    }
    let s = u32::from(code / 10)
        + 9 * u32::from(code % 10)
        + weighted(first8, &[8, 7, 6, 5, 4, 3, 2, 1]);
    Some(((10 - s % 10) % 10) as u8)
}

/// True when `s` is a letter and nine digits forming a valid Taiwanese
/// national ID (sex digit 1/2) or new-format resident certificate (8/9).
#[must_use]
pub fn is_valid_tw_id(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(letter) = chars.next() else {
        return false;
    };
    let Some(d) = digits(chars.as_str()) else {
        return false;
    };
    let Ok(d) = <[u8; 9]>::try_from(d.as_slice()) else {
        return false;
    };
    matches!(d[0], 1 | 2 | 8 | 9) && tw_id_check_digit(letter, &d[..8]) == Some(d[8])
}

/// The Luhn check digit to append to `payload`.
#[must_use]
pub fn luhn_check_digit(payload: &[u8]) -> u8 {
    let s: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    ((10 - s % 10) % 10) as u8
}

/// True when the digits of `s` pass the Luhn check.
#[must_use]
pub fn is_luhn_valid(s: &str) -> bool {
    digits(s).is_some_and(|d| match d.split_last() {
        Some((last, payload)) if !payload.is_empty() => luhn_check_digit(payload) == *last,
        _ => false,
    })
}

/// Reserved test card numbers that must never be reported (DOMAIN §2.7).
pub const TEST_PANS: &[&str] = &[
    "122000000000003",
    "2222405343248877",
    "2222990905257051",
    "2223007648726984",
    "2223577120017656",
    "30569309025904",
    "34343434343434",
    "3528000700000000",
    "3530111333300000",
    "3566002020360505",
    "36148900647913",
    "36700102000000",
    "371449635398431",
    "378282246310005",
    "378734493671000",
    "38520000023237",
    "4012888888881881",
    "4111111111111111",
    "4222222222222",
    "4444333322221111",
    "4462030000000000",
    "4484070000000000",
    "4911830000000",
    "4917300800000000",
    "4917610000000000",
    "4917610000000000003",
    "5019717010103742",
    "5105105105105100",
    "5111010030175156",
    "5185540810000019",
    "5200828282828210",
    "5204230080000017",
    "5204740009900014",
    "5420923878724339",
    "5454545454545454",
    "5455330760000018",
    "5506900490000436",
    "5506900490000444",
    "5506900510000234",
    "5506920809243667",
    "5506922400634930",
    "5506927427317625",
    "5553042241984105",
    "5555553753048194",
    "5555555555554444",
    "5610591081018250",
    "6011000990139424",
    "6011000400000000",
    "6011111111111117",
    "630490017740292441",
    "630495060000000000",
    "6331101999990016",
    "6759649826438453",
    "6799990100000000019",
    "76009244561",
];

/// True when the digits of `s` are a reserved test card number.
#[must_use]
pub fn is_test_pan(s: &str) -> bool {
    digits(s).is_some_and(|d| {
        let joined: String = d.iter().map(|x| char::from(b'0' + x)).collect();
        TEST_PANS.contains(&joined.as_str())
    })
}

/// IBAN lengths per country (ISO 13616 registry), for the countries steward's
/// users most often meet.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IS", 26),
    ("IT", 27),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("SA", 24),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("TR", 26),
];

/// The IBAN length registered for a country, if steward knows it.
#[must_use]
pub fn iban_length(country: &str) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|(_, l)| *l)
}

fn iban_mod97(rearranged: impl Iterator<Item = char>) -> Option<u32> {
    let mut r: u32 = 0;
    for c in rearranged {
        let v = c.to_digit(36)?;
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    Some(r)
}

/// The two IBAN check digits for a country code and BBAN.
#[must_use]
pub fn iban_check_digits(country: &str, bban: &str) -> Option<u8> {
    let r = iban_mod97(bban.chars().chain(country.chars()).chain("00".chars()))?;
    Some((98 - r) as u8)
}

/// True when `s` (spaces allowed) is an IBAN of a known length whose mod-97
/// check holds.
#[must_use]
pub fn is_valid_iban(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| *c != ' ').collect();
    let Some(country) = compact.get(..2) else {
        return false;
    };
    if iban_length(country) != Some(compact.len())
        || !compact.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    iban_mod97(tail.chars().chain(head.chars())) == Some(1)
}

/// True when `s` is a US SSN in an issued range and not a known example.
#[must_use]
pub fn is_valid_ssn(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    let Ok(d) = <[u8; 9]>::try_from(d.as_slice()) else {
        return false;
    };
    let num = |ds: &[u8]| ds.iter().fold(0u32, |acc, x| acc * 10 + u32::from(*x));
    let (area, group, serial) = (num(&d[..3]), num(&d[3..5]), num(&d[5..]));
    let all_same = d.iter().all(|x| *x == d[0]);
    let joined = num(&d);
    let example = [78_051_120, 457_555_462, 219_099_999, 123_456_789].contains(&joined);
    !(area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 || all_same || example)
}

/// True when `s` is a US ITIN: area 9, group in 50–65, 70–88, 90–92 or 94–99.
#[must_use]
pub fn is_valid_itin(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    let Ok(d) = <[u8; 9]>::try_from(d.as_slice()) else {
        return false;
    };
    let group = d[3] * 10 + d[4];
    d[0] == 9 && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// True when `s` is a nine-digit ABA routing number whose checksum holds.
#[must_use]
pub fn is_valid_aba(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    let Ok(d) = <[u8; 9]>::try_from(d.as_slice()) else {
        return false;
    };
    let prefix = d[0] * 10 + d[1];
    let sum = 3 * (u32::from(d[0]) + u32::from(d[3]) + u32::from(d[6]))
        + 7 * (u32::from(d[1]) + u32::from(d[4]) + u32::from(d[7]))
        + u32::from(d[2])
        + u32::from(d[5])
        + u32::from(d[8]);
    sum % 10 == 0 && matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80)
}

#[cfg(test)]
mod tests;
