//! The affected people one by one, for notice lists: customers in member-id
//! order (their records looked up 500 at a time), then third parties. Each
//! person's contact is a [`Sensitive`] value, masked wherever it is shown
//! unless the caller exposes it on purpose; third parties are named by a
//! keyed fingerprint of their phone number, never the number.

use std::collections::VecDeque;

use steward_model::impact::{AffectedPerson, JurisdictionBasis, PersonKind};
use steward_model::masked::{FingerprintKey, MaskStyle, Sensitive};

use crate::error::Result;
use crate::members::{MemberRow, Members, UNKNOWN};
use crate::{Impact, phone};

/// The categories (bits over the category sets) whose set holds `id`.
fn mask_of(sets: &[roaring::RoaringTreemap], id: u64) -> u64 {
    sets.iter()
        .enumerate()
        .filter(|(_, s)| s.contains(id))
        .fold(0, |m, (i, _)| m | (1 << i))
}

/// Customers looked up per query.
const CHUNK: usize = 500;

/// Iterator over the affected people of an [`Impact`].
pub struct People<'a> {
    impact: &'a Impact,
    key: &'a FingerprintKey,
    db: Option<Members>,
    customers: roaring::treemap::Iter<'a>,
    third: roaring::treemap::Iter<'a>,
    buffer: VecDeque<AffectedPerson>,
}

impl Impact {
    /// The affected people, customers first. `key` fingerprints third
    /// parties' phone numbers into their ids.
    ///
    /// # Errors
    /// The customer database cannot be opened.
    pub fn people<'a>(&'a self, key: &'a FingerprintKey) -> Result<People<'a>> {
        let db = self.members.as_deref().map(Members::open).transpose()?;
        Ok(People {
            impact: self,
            key,
            db,
            customers: self.customers.all.iter(),
            third: self.third.iter(),
            buffer: VecDeque::new(),
        })
    }

    fn customer(&self, id: u64, row: Option<&MemberRow>) -> AffectedPerson {
        let mask = mask_of(&self.customer_categories, id);
        let (country, subdivision, basis) = row.map_or(
            (UNKNOWN.to_owned(), None, JurisdictionBasis::Unknown),
            MemberRow::place,
        );
        let (channel, contact) = match row {
            Some(MemberRow { email: Some(e), .. }) if !e.is_empty() => {
                ("email", Sensitive::new(e.clone(), MaskStyle::Email))
            }
            Some(MemberRow { phone: Some(p), .. }) if !p.is_empty() => {
                ("sms", Sensitive::new(p.clone(), MaskStyle::Generic))
            }
            _ => ("none", Sensitive::new("", MaskStyle::Generic)),
        };
        AffectedPerson {
            id: format!("m:{id}"),
            kind: PersonKind::Customer,
            country: (country != UNKNOWN).then_some(country),
            subdivision,
            basis,
            categories: self.categories.keys(mask),
            channel: channel.to_owned(),
            contact,
        }
    }

    fn third_party(&self, number: u64, key: &FingerprintKey) -> AffectedPerson {
        let mask = mask_of(&self.third_categories, number);
        let text = phone::display(number);
        let state = self.listed.state_of(number).map(str::to_owned);
        let country = phone::country(number);
        let basis = crate::infer::basis(country, state.as_deref());
        let country = country.map(str::to_owned);
        let fp = key.fingerprint(&text).to_string();
        AffectedPerson {
            id: format!("t:{}", fp.trim_start_matches("fp:")),
            kind: PersonKind::ThirdParty,
            country,
            subdivision: state,
            basis,
            categories: self.categories.keys(mask),
            channel: "sms".to_owned(),
            contact: Sensitive::new(text, MaskStyle::Generic),
        }
    }
}

impl People<'_> {
    fn fill(&mut self) -> Result<()> {
        let ids: Vec<u64> = self.customers.by_ref().take(CHUNK).collect();
        if !ids.is_empty() {
            let mut rows: Vec<MemberRow> = Vec::with_capacity(ids.len());
            if let Some(db) = &self.db {
                db.lookup(&ids, |r| rows.push(r))?;
            }
            let mut found = rows.iter().peekable();
            for id in ids {
                let row = found.next_if(|r| r.id == id);
                self.buffer.push_back(self.impact.customer(id, row));
            }
            return Ok(());
        }
        for n in self.third.by_ref().take(CHUNK) {
            self.buffer.push_back(self.impact.third_party(n, self.key));
        }
        Ok(())
    }
}

impl Iterator for People<'_> {
    type Item = Result<AffectedPerson>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buffer.is_empty()
            && let Err(e) = self.fill()
        {
            return Some(Err(e));
        }
        self.buffer.pop_front().map(Ok)
    }
}
