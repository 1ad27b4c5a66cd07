//! A clean store of look-alike values that are not personal data: numbers
//! with the shape of identifiers that fail their check digits or ranges, test
//! card numbers, documentation addresses and product codes. A scanner should
//! report nothing here.

use steward_model::checks;

use crate::error::Result;
use crate::output::Out;
use crate::rng::{Domain, Rng};

/// Path of the clean store.
pub const CATALOG: &str = "clean/catalog.csv";

fn luhn_invalid(rng: &mut Rng) -> String {
    loop {
        let s = format!("4{}", rng.digits(15));
        if !checks::is_luhn_valid(&s) {
            return s;
        }
    }
}

fn rrn_shaped_bad_date(rng: &mut Rng) -> String {
    format!(
        "{:02}{:02}{:02}-{}{}",
        rng.below(100),
        rng.range(13, 99),
        rng.range(32, 99),
        rng.range(1, 4),
        rng.digits(6)
    )
}

fn my_number_bad(rng: &mut Rng) -> String {
    loop {
        let s = format!("{}{}", rng.range(1, 9), rng.digits(11));
        if !checks::is_valid_my_number(&s) {
            return s;
        }
    }
}

fn tw_bad(rng: &mut Rng) -> String {
    loop {
        let s = format!(
            "{}{}{}",
            char::from(b'A' + rng.below(26) as u8),
            rng.range(1, 2),
            rng.digits(8)
        );
        if !checks::is_valid_tw_id(&s) {
            return s;
        }
    }
}

fn iban_bad(rng: &mut Rng) -> String {
    loop {
        let s = format!("DE{:02}{}", rng.below(100), rng.digits(18));
        if !checks::is_valid_iban(&s) {
            return s;
        }
    }
}

/// Writes the clean store; returns its rows.
///
/// # Errors
/// A failed write, naming the file.
pub fn write_clean(out: &Out, seed: u64, rows: u64) -> Result<u64> {
    let mut f = out.file(CATALOG)?;
    f.write(b"sku,part_code,barcode,lot_number,ref_card,ref_resident_no,ref_my_number,ref_tw_code,ref_iban,ref_ssn,contact_email,support_phone,build,server_ip\n")?;
    for i in 0..rows {
        let mut rng = Rng::stream(seed, Domain::Clean, i);
        let test_pan = checks::TEST_PANS
            .get((i % checks::TEST_PANS.len() as u64) as usize)
            .copied()
            .unwrap_or("4111111111111111");
        let card = if i % 2 == 0 {
            test_pan.to_owned()
        } else {
            luhn_invalid(&mut rng)
        };
        let ssn = format!(
            "{}-{:02}-{:04}",
            ["000", "666", "900", "987"]
                .get((i % 4) as usize)
                .copied()
                .unwrap_or("000"),
            // Groups 10–49 are outside the ITIN ranges, so 9XX areas stay
            // invalid for both SSN and ITIN.
            rng.range(10, 49),
            rng.range(1, 9999)
        );
        let line = format!(
            "SKU-{:06},{}{:03}{}{:04},880{},{}-{},{card},{},{},{},{},{ssn},support+{}@example.com,555-01{:02},10.0.{}.{},10.{}.{}.{}\n",
            i + 1,
            char::from(b'M' + rng.below(5) as u8),
            rng.below(1000),
            char::from(b'A' + rng.below(26) as u8),
            rng.below(10_000),
            rng.digits(10),
            rng.digits(4),
            rng.digits(6),
            rrn_shaped_bad_date(&mut rng),
            my_number_bad(&mut rng),
            tw_bad(&mut rng),
            iban_bad(&mut rng),
            i % 97,
            rng.below(100),
            rng.below(30_000),
            rng.below(100),
            rng.below(256),
            rng.below(256),
            rng.range(1, 254),
        );
        f.write(line.as_bytes())?;
    }
    f.finish()?;
    Ok(rows)
}
