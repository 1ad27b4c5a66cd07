//! Identifier generators. Valid values carry correct check digits (computed
//! by `steward_model::checks`, the same code the detectors use), and values
//! that must be unique come from bijections of the person index.

use steward_model::checks;

use crate::rng::Rng;

/// An affine bijection on `0..modulus` (`mult` must be coprime with it).
#[must_use]
pub const fn permute(index: u64, mult: u64, add: u64, modulus: u64) -> u64 {
    ((index as u128 * mult as u128 + add as u128) % modulus as u128) as u64
}

fn digits_to_string(ds: &[u8]) -> String {
    ds.iter().map(|d| char::from(b'0' + d)).collect()
}

fn push_digits(rng: &mut Rng, out: &mut Vec<u8>, n: usize) {
    for _ in 0..n {
        out.push(rng.digit());
    }
}

/// A Korean resident registration number for a birth date and sex. Legacy
/// numbers carry a region code and a valid check digit; numbers issued after
/// October 2020 (`post_2020`) have random digits after the gender digit.
#[must_use]
pub fn kr_rrn(
    rng: &mut Rng,
    year: u32,
    month: u32,
    day: u32,
    male: bool,
    post_2020: bool,
) -> String {
    let g = match (year >= 2000, male) {
        (false, true) => 1,
        (false, false) => 2,
        (true, true) => 3,
        (true, false) => 4,
    };
    birth_prefixed(rng, year, month, day, g, |rng, ds| {
        if post_2020 {
            push_digits(rng, ds, 6);
        } else {
            let region = rng.below(96) as u8;
            ds.extend([region / 10, region % 10]);
            push_digits(rng, ds, 3);
            ds.push(checks::rrn_check_digit(ds).unwrap_or(0));
        }
    })
}

/// A Korean foreigner registration number with the FRN check digit.
#[must_use]
pub fn kr_frn(rng: &mut Rng, year: u32, month: u32, day: u32, male: bool) -> String {
    let g = match (year >= 2000, male) {
        (false, true) => 5,
        (false, false) => 6,
        (true, true) => 7,
        (true, false) => 8,
    };
    birth_prefixed(rng, year, month, day, g, |rng, ds| {
        push_digits(rng, ds, 5);
        ds.push(checks::frn_check_digit(ds).unwrap_or(0));
    })
}

fn birth_prefixed(
    rng: &mut Rng,
    year: u32,
    month: u32,
    day: u32,
    g: u8,
    tail: impl FnOnce(&mut Rng, &mut Vec<u8>),
) -> String {
    let yy = (year % 100) as u8;
    let mut ds = vec![
        yy / 10,
        yy % 10,
        (month / 10) as u8,
        (month % 10) as u8,
        (day / 10) as u8,
        (day % 10) as u8,
        g,
    ];
    tail(rng, &mut ds);
    let (front, back) = ds.split_at(6);
    format!("{}-{}", digits_to_string(front), digits_to_string(back))
}

/// A Japanese My Number (12 digits, printed 4-4-4).
#[must_use]
pub fn jp_my_number(rng: &mut Rng) -> String {
    let mut ds = Vec::with_capacity(12);
    ds.push(1 + rng.below(9) as u8);
    push_digits(rng, &mut ds, 10);
    ds.push(checks::my_number_check_digit(&ds).unwrap_or(0));
    let s = digits_to_string(&ds);
    format!(
        "{} {} {}",
        s.get(..4).unwrap_or_default(),
        s.get(4..8).unwrap_or_default(),
        s.get(8..).unwrap_or_default()
    )
}

/// A Taiwanese national ID for an area letter and sex.
#[must_use]
pub fn tw_id(rng: &mut Rng, letter: char, male: bool) -> String {
    let mut ds = vec![if male { 1 } else { 2 }];
    push_digits(rng, &mut ds, 7);
    let c = checks::tw_id_check_digit(letter, &ds).unwrap_or(0);
    ds.push(c);
    format!("{letter}{}", digits_to_string(&ds))
}

/// A new-format Taiwanese resident certificate (since 2021): area letter,
/// `8` (male) or `9` (female) and eight digits, with the national ID's
/// check digit.
#[must_use]
pub fn tw_arc(rng: &mut Rng, letter: char, male: bool) -> String {
    let mut ds = vec![if male { 8 } else { 9 }];
    push_digits(rng, &mut ds, 7);
    let c = checks::tw_id_check_digit(letter, &ds).unwrap_or(0);
    ds.push(c);
    format!("{letter}{}", digits_to_string(&ds))
}

/// The business registration number of a Korean sole proprietor
/// (`NNN-NN-NNNNN`): a tax-office code, an individual type code (01–79
/// taxable, 90–99 exempt; never a corporation's 81–88), a serial and the
/// check digit.
#[must_use]
pub fn kr_brn(rng: &mut Rng) -> String {
    let office = rng.range(101, 899);
    let kind = if rng.chance(0.85) {
        rng.range(1, 79)
    } else {
        rng.range(90, 99)
    };
    let mut ds = checks::digits(&format!("{office:03}{kind:02}")).unwrap_or_default();
    push_digits(rng, &mut ds, 4);
    ds.push(checks::brn_check_digit(&ds).unwrap_or(0));
    let s = digits_to_string(&ds);
    format!(
        "{}-{}-{}",
        s.get(..3).unwrap_or_default(),
        s.get(3..5).unwrap_or_default(),
        s.get(5..).unwrap_or_default()
    )
}

/// A Korean passport number: mostly the 2021 book (`M123A4567`), otherwise
/// an older one (`M12345678`); `S` for single-journey books.
#[must_use]
pub fn kr_passport(rng: &mut Rng) -> String {
    let kind = if rng.chance(0.9) { 'M' } else { 'S' };
    if rng.chance(0.6) {
        format!(
            "{kind}{}{}{}",
            rng.digits(3),
            char::from(b'A' + rng.below(26) as u8),
            rng.digits(4)
        )
    } else {
        format!("{kind}{}", rng.digits(8))
    }
}

/// Licensing regions of Korean driver's licences (11–26 and 28).
const KR_LICENCE_REGIONS: [u64; 17] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28,
];

/// A Korean driver's licence number `RR-YY-NNNNNN-CC` first issued in
/// `year`.
#[must_use]
pub fn kr_drivers_license(rng: &mut Rng, year: u32) -> String {
    let region = rng.pick(&KR_LICENCE_REGIONS).copied().unwrap_or(11);
    format!(
        "{region}-{:02}-{}-{}",
        year % 100,
        rng.digits(6),
        rng.digits(2)
    )
}

/// A US ITIN: `9XX-GG-XXXX` with a group the IRS assigns (50–65, 70–88,
/// 90–92, 94–99).
#[must_use]
pub fn us_itin(rng: &mut Rng) -> String {
    const GROUPS: [(u64, u64); 4] = [(50, 65), (70, 88), (90, 92), (94, 99)];
    let (lo, hi) = rng.pick(&GROUPS).copied().unwrap_or((70, 88));
    format!(
        "9{:02}-{:02}-{:04}",
        rng.below(100),
        rng.range(lo, hi),
        rng.range(1, 9999)
    )
}

/// A US SSN in an issued range, never a published example.
#[must_use]
pub fn us_ssn(rng: &mut Rng) -> String {
    loop {
        let area = rng.range(1, 899);
        let s = format!(
            "{area:03}-{:02}-{:04}",
            rng.range(1, 99),
            rng.range(1, 9999)
        );
        if checks::is_valid_ssn(&s) {
            return s;
        }
    }
}

/// A payment card number with a real issuer prefix and a valid Luhn digit,
/// never one of the reserved test numbers.
#[must_use]
pub fn card(rng: &mut Rng) -> String {
    loop {
        let mut ds: Vec<u8> = match rng.below(20) {
            0..=6 => vec![4],
            7..=12 => {
                let p = rng.range(51, 55) as u8;
                vec![p / 10, p % 10]
            }
            13..=14 => vec![3, if rng.chance(0.5) { 4 } else { 7 }],
            15..=17 => {
                let p = rng.range(3528, 3589);
                checks::digits(&p.to_string()).unwrap_or_default()
            }
            _ => vec![6, 2],
        };
        let len = if ds.starts_with(&[3, 4]) || ds.starts_with(&[3, 7]) {
            15
        } else {
            16
        };
        let fill = len - 1 - ds.len();
        push_digits(rng, &mut ds, fill);
        ds.push(checks::luhn_check_digit(&ds));
        let s = digits_to_string(&ds);
        if !checks::is_test_pan(&s) {
            return if len == 16 {
                format!(
                    "{}-{}-{}-{}",
                    s.get(..4).unwrap_or_default(),
                    s.get(4..8).unwrap_or_default(),
                    s.get(8..12).unwrap_or_default(),
                    s.get(12..).unwrap_or_default()
                )
            } else {
                s
            };
        }
    }
}

/// A Korean personal customs clearance code: `P` and twelve digits.
#[must_use]
pub fn kr_pccc(rng: &mut Rng) -> String {
    format!("P{}", rng.digits(12))
}

/// An IBAN with valid mod-97 check digits for an EU country.
#[must_use]
pub fn iban(rng: &mut Rng, country: &str) -> String {
    let len = checks::iban_length(country).unwrap_or(22);
    let letters = match country {
        "NL" | "IE" => 4,
        "IT" => 1,
        _ => 0,
    };
    let mut bban: String = (0..letters)
        .map(|_| char::from(b'A' + rng.below(26) as u8))
        .collect();
    bban.push_str(&rng.digits(len.saturating_sub(4 + letters)));
    let check = checks::iban_check_digits(country, &bban).unwrap_or(0);
    format!("{country}{check:02}{bban}")
}

/// The eight digits behind a unique mobile number for person `index`.
#[must_use]
pub fn mobile_digits(index: u64) -> String {
    format!("{:08}", permute(index, 48_271_207, 12_345_679, 100_000_000))
}

/// A unique Korean mobile number.
#[must_use]
pub fn kr_mobile(index: u64) -> String {
    let d = mobile_digits(index);
    format!(
        "010-{}-{}",
        d.get(..4).unwrap_or_default(),
        d.get(4..).unwrap_or_default()
    )
}

/// A unique Japanese mobile number.
#[must_use]
pub fn jp_mobile(index: u64) -> String {
    let d = mobile_digits(index);
    let prefix = ["090", "080", "070"]
        .get((index % 3) as usize)
        .copied()
        .unwrap_or("090");
    format!(
        "{prefix}-{}-{}",
        d.get(..4).unwrap_or_default(),
        d.get(4..).unwrap_or_default()
    )
}

/// A unique Taiwanese mobile number.
#[must_use]
pub fn tw_mobile(index: u64) -> String {
    let d = mobile_digits(index);
    format!(
        "09{}-{}-{}",
        d.get(..2).unwrap_or_default(),
        d.get(2..5).unwrap_or_default(),
        d.get(5..).unwrap_or_default()
    )
}

/// A unique US number in an area code; exchange 555 is never used, so no
/// number falls in the fictional 555-01XX block.
#[must_use]
pub fn us_phone(index: u64, area: &str) -> String {
    let n = permute(index, 7_777_777, 1_234_567, 7_990_000);
    let mut nxx = 200 + n / 10_000;
    if nxx >= 555 {
        nxx += 1;
    }
    format!("({area}) {nxx}-{:04}", n % 10_000)
}

/// A unique EU mobile number in the country's format.
#[must_use]
pub fn eu_mobile(index: u64, country: &str) -> String {
    let d = mobile_digits(index);
    let p = |a: usize, b: usize| d.get(a..b).unwrap_or_default();
    match country {
        "DE" => format!("+49 151 {}", d),
        "FR" => format!("+33 6 {} {} {} {}", p(0, 2), p(2, 4), p(4, 6), p(6, 8)),
        "ES" => format!("+34 6{} {} {}", p(0, 2), p(2, 5), p(5, 8)),
        "IT" => format!("+39 34{} {} {}", p(0, 1), p(1, 4), p(4, 8)),
        "NL" => format!("+31 6 {}", d),
        "PL" => format!("+48 5{} {} {}", p(0, 2), p(2, 5), p(5, 8)),
        _ => format!("+353 87 {} {}", p(0, 3), p(3, 8)),
    }
}

/// A base-36 suffix unique to `index` (six characters).
#[must_use]
pub fn unique_suffix(index: u64) -> String {
    let mut n = permute(index, 1_000_003, 777_777, 2_176_782_336);
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        let d = (n % 36) as u8;
        *slot = if d < 10 { b'0' + d } else { b'a' + d - 10 };
        n /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Domain;
    use std::collections::HashSet;

    #[test]
    fn generated_identifiers_validate() {
        let mut rng = Rng::stream(1, Domain::Customer, 0);
        for _ in 0..2000 {
            let r = kr_rrn(&mut rng, 1988, 2, 29, true, false);
            let c = checks::check_rrn(&r);
            assert!(c.rrn_checksum && c.citizen && c.date, "{r}");
            let r = kr_rrn(&mut rng, 2001, 7, 31, false, false);
            let c = checks::check_rrn(&r);
            assert!(c.rrn_checksum && c.date, "{r}");
            assert!(checks::check_rrn(&kr_frn(&mut rng, 1990, 1, 1, true)).frn_checksum);
            assert!(checks::is_valid_my_number(&jp_my_number(&mut rng)));
            assert!(checks::is_valid_tw_id(&tw_id(&mut rng, 'F', false)));
            assert!(checks::is_valid_ssn(&us_ssn(&mut rng)));
            let arc = tw_arc(&mut rng, 'A', true);
            assert!(
                checks::is_valid_tw_id(&arc) && arc.as_bytes()[1] == b'8',
                "{arc}"
            );
            let brn = kr_brn(&mut rng);
            assert!(checks::is_valid_brn(&brn), "{brn}");
            let kind: u32 = brn[4..6].parse().unwrap();
            assert!(
                (1..=79).contains(&kind) || (90..=99).contains(&kind),
                "{brn}"
            );
            let itin = us_itin(&mut rng);
            assert!(
                checks::is_valid_itin(&itin) && !checks::is_valid_ssn(&itin),
                "{itin}"
            );
            let p = kr_passport(&mut rng);
            assert!(
                p.len() == 9 && (p.starts_with('M') || p.starts_with('S')),
                "{p}"
            );
            let dl = kr_drivers_license(&mut rng, 2009);
            let region: u32 = dl[..2].parse().unwrap();
            assert!(
                dl.len() == 15
                    && &dl[2..6] == "-09-"
                    && region != 27
                    && (11..=28).contains(&region),
                "{dl}"
            );
            let c = card(&mut rng);
            assert!(checks::is_luhn_valid(&c) && !checks::is_test_pan(&c), "{c}");
            for country in ["DE", "FR", "ES", "IT", "NL", "PL", "IE"] {
                let i = iban(&mut rng, country);
                assert!(checks::is_valid_iban(&i), "{i}");
            }
        }
    }

    #[test]
    fn phones_and_suffixes_are_unique() {
        let n = 200_000;
        assert_eq!(
            (0..n).map(kr_mobile).collect::<HashSet<_>>().len(),
            n as usize
        );
        assert_eq!(
            (0..n)
                .map(|i| us_phone(i, "415"))
                .collect::<HashSet<_>>()
                .len(),
            n as usize
        );
        assert_eq!(
            (0..n).map(unique_suffix).collect::<HashSet<_>>().len(),
            n as usize
        );
        assert!((0..n).all(|i| !us_phone(i, "212").contains(") 555-")));
    }
}
