//! The member pass: where each affected customer lives (the residence on
//! their record, else inferred from their phone), and which listed phone
//! numbers belong to customers (same normalised number and same name).
//!
//! The `members` table is scanned once when address-book entries must be
//! matched; otherwise only the affected members are looked up by id.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use roaring::RoaringTreemap;
use rusqlite::{Connection, OpenFlags};
use steward_model::impact::JurisdictionBasis;

use crate::Progress;
use crate::books::{Listed, name_hash};
use crate::categories::Mask;
use crate::error::{ImpactError, Result};
use crate::phone;

/// A jurisdiction key: country (or `unknown`), subdivision, basis.
pub type Place = (String, Option<String>, JurisdictionBasis);

/// The country key for people whose country could not be established.
pub const UNKNOWN: &str = "unknown";

/// One member row, as much as impact needs.
#[derive(Debug, Clone)]
pub struct MemberRow {
    /// Member id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Declared country.
    pub country: Option<String>,
    /// Declared subdivision.
    pub region: Option<String>,
}

impl MemberRow {
    /// Where the member lives: the declared residence, else the phone's
    /// country.
    #[must_use]
    pub fn place(&self) -> Place {
        if let Some(c) = self.country.as_deref().filter(|c| !c.is_empty()) {
            let sub = self.region.clone().filter(|r| r.contains('-'));
            return (c.to_ascii_uppercase(), sub, JurisdictionBasis::Declared);
        }
        match self
            .phone
            .as_deref()
            .and_then(phone::normalise)
            .and_then(phone::country)
        {
            Some(c) => (c.to_owned(), None, JurisdictionBasis::InferredFromPhone),
            None => (UNKNOWN.to_owned(), None, JurisdictionBasis::Unknown),
        }
    }
}

/// The customer database.
pub struct Members {
    path: PathBuf,
    conn: Connection,
}

const COLUMNS: &str = "member_id, name, email, phone, country, region";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MemberRow> {
    Ok(MemberRow {
        id: u64::try_from(r.get::<_, i64>(0)?).unwrap_or_default(),
        name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        email: r.get(2)?,
        phone: r.get(3)?,
        country: r.get(4)?,
        region: r.get(5)?,
    })
}

impl Members {
    /// Opens the database read-only.
    ///
    /// # Errors
    /// [`ImpactError::Sqlite`] naming the file.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| ImpactError::Sqlite {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            conn,
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> ImpactError + '_ {
        |source| ImpactError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Every member, in id order.
    ///
    /// # Errors
    /// [`ImpactError::Sqlite`].
    pub fn scan(&self, progress: &dyn Progress, mut each: impl FnMut(MemberRow)) -> Result<()> {
        let total: i64 = self
            .conn
            .query_row("SELECT coalesce(max(member_id), 0) FROM members", [], |r| {
                r.get(0)
            })
            .map_err(self.err())?;
        progress.stage("customer records", u64::try_from(total).unwrap_or_default());
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM members ORDER BY member_id"))
            .map_err(self.err())?;
        let mut rows = stmt.query([]).map_err(self.err())?;
        let mut last = 0u64;
        while let Some(r) = rows.next().map_err(self.err())? {
            let m = row(r).map_err(self.err())?;
            if m.id >= last + 4096 {
                progress.advance(m.id - last);
                last = m.id;
            }
            each(m);
        }
        progress.finish_stage();
        Ok(())
    }

    /// The members with the given ids (those that exist), in id order.
    ///
    /// # Errors
    /// [`ImpactError::Sqlite`].
    pub fn lookup(&self, ids: &[u64], mut each: impl FnMut(MemberRow)) -> Result<()> {
        for chunk in ids.chunks(500) {
            let list = chunk
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let mut stmt = self
                .conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM members WHERE member_id IN ({list}) ORDER BY member_id"
                ))
                .map_err(self.err())?;
            let mut rows = stmt.query([]).map_err(self.err())?;
            while let Some(r) = rows.next().map_err(self.err())? {
                each(row(r).map_err(self.err())?);
            }
        }
        Ok(())
    }
}

/// Customers: where they live, and the listed people who are customers.
#[derive(Debug, Default)]
pub struct Customers {
    /// Affected customers by place.
    pub by_place: BTreeMap<Place, RoaringTreemap>,
    /// Listed people matched to customers, by related mask.
    pub related_by_mask: BTreeMap<Mask, RoaringTreemap>,
    /// Listed people matched to customers, by first bucket.
    pub related_by_bucket: BTreeMap<i64, RoaringTreemap>,
    /// Listed numbers that belong to customers.
    pub matched_numbers: RoaringTreemap,
    /// Every affected customer.
    pub all: RoaringTreemap,
}

impl Customers {
    fn place(&mut self, m: &MemberRow) {
        self.all.insert(m.id);
        self.by_place.entry(m.place()).or_default().insert(m.id);
    }
}

/// Resolves `direct` members and the listed people against the database.
///
/// # Errors
/// [`ImpactError::Sqlite`].
pub fn resolve(
    db: &Members,
    direct: &RoaringTreemap,
    listed: &Listed,
    progress: &dyn Progress,
) -> Result<Customers> {
    let mut out = Customers::default();
    if listed.all.is_empty() {
        let ids: Vec<u64> = direct.iter().collect();
        db.lookup(&ids, |m| out.place(&m))?;
    } else {
        db.scan(progress, |m| {
            let number = m.phone.as_deref().and_then(phone::normalise);
            let matched = number.filter(|n| {
                listed.all.contains(*n) && listed.names.get(n).copied() == Some(name_hash(&m.name))
            });
            if let Some(n) = matched {
                out.matched_numbers.insert(n);
                out.related_by_mask
                    .entry(listed.mask_of(n))
                    .or_default()
                    .insert(m.id);
                if let Some(b) = listed.bucket_of(n) {
                    out.related_by_bucket.entry(b).or_default().insert(m.id);
                }
            }
            if matched.is_some() || direct.contains(m.id) {
                out.place(&m);
            }
        })?;
    }
    let missing = direct - &out.all;
    if !missing.is_empty() {
        out.all |= &missing;
        *out.by_place
            .entry((UNKNOWN.to_owned(), None, JurisdictionBasis::Unknown))
            .or_default() |= missing;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_residence_wins_and_the_phone_is_the_fallback() {
        let mut m = MemberRow {
            id: 1,
            name: "x".into(),
            email: None,
            phone: Some("(206) 555-0100".into()),
            country: Some("US".into()),
            region: Some("US-WA".into()),
        };
        assert_eq!(
            m.place(),
            (
                "US".to_owned(),
                Some("US-WA".to_owned()),
                JurisdictionBasis::Declared
            )
        );
        m.country = None;
        assert_eq!(
            m.place(),
            ("US".to_owned(), None, JurisdictionBasis::InferredFromPhone)
        );
        m.phone = None;
        assert_eq!(m.place().2, JurisdictionBasis::Unknown);
    }
}
