//! What each route returns: the data categories of its subject, and of the
//! people listed in the subject's records (address-book recipients), as the
//! manifest declares them. Routes the manifest does not declare fall back to
//! the categories the scan inventory found in the member records, and the
//! fallback is reported.

use std::collections::BTreeMap;

use steward_model::manifest::Manifest;

/// A set of categories as bits over [`Categories::names`] (at most 64).
pub type Mask = u64;

/// Categories per route.
#[derive(Debug, Clone, Default)]
pub struct Categories {
    names: Vec<String>,
    routes: BTreeMap<String, (Mask, Mask)>,
    fallback: Mask,
    related_dataset: Option<String>,
}

impl Categories {
    /// From the manifest's endpoints, with `fallback` for routes it does not
    /// declare.
    #[must_use]
    pub fn new(manifest: Option<&Manifest>, fallback: &[String]) -> Self {
        let mut c = Self::default();
        for e in manifest.map(|m| m.endpoints.as_slice()).unwrap_or_default() {
            let own = c.mask_of(&e.returns);
            let related = c.mask_of(&e.returns_related);
            let slot = c.routes.entry(e.route.clone()).or_default();
            slot.0 |= own;
            slot.1 |= related;
            if related != 0 && c.related_dataset.is_none() {
                c.related_dataset.clone_from(&e.related_dataset);
            }
        }
        c.fallback = c.mask_of(fallback);
        c
    }

    fn mask_of(&mut self, cats: &[String]) -> Mask {
        let mut mask = 0;
        for cat in cats {
            let i = match self.names.iter().position(|n| n == cat) {
                Some(i) => i,
                None if self.names.len() < 64 => {
                    self.names.push(cat.clone());
                    self.names.len() - 1
                }
                None => continue,
            };
            mask |= 1 << i;
        }
        mask
    }

    /// What a route returns about its subject and about related people, and
    /// whether the route was declared.
    #[must_use]
    pub fn route(&self, route: &str) -> (Mask, Mask, bool) {
        match self.routes.get(route) {
            Some(&(own, related)) => (own, related, true),
            None => (self.fallback, 0, false),
        }
    }

    /// The dataset id the manifest names for related people.
    #[must_use]
    pub fn related_dataset(&self) -> Option<&str> {
        self.related_dataset.as_deref()
    }

    /// Category keys in bit order.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The keys of the categories in `mask`.
    #[must_use]
    pub fn keys(&self, mask: Mask) -> Vec<String> {
        self.names
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, n)| n.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_model::manifest::Endpoint;

    fn endpoint(route: &str, own: &[&str], related: &[&str]) -> Endpoint {
        Endpoint {
            method: "GET".into(),
            route: route.into(),
            returns: own.iter().map(|s| (*s).to_owned()).collect(),
            returns_related: related.iter().map(|s| (*s).to_owned()).collect(),
            related_dataset: (!related.is_empty()).then(|| "address-book.entries".into()),
        }
    }

    #[test]
    fn routes_map_to_masks_and_undeclared_routes_fall_back() {
        let text = "version: 1\norganization: {name: x, established_in: KR}\nsystems: []\n";
        let mut m: Manifest = serde_norway::from_str(text).unwrap();
        m.endpoints = vec![
            endpoint("/p/{id}", &["user.name", "user.contact.email"], &[]),
            endpoint(
                "/a/{id}",
                &["user.name"],
                &["user.name", "user.contact.phone_number"],
            ),
        ];
        let c = Categories::new(Some(&m), &["user.contact.email".to_owned()]);
        let (own, rel, declared) = c.route("/a/{id}");
        assert!(declared);
        assert_eq!(c.keys(own), ["user.name"]);
        assert_eq!(c.keys(rel), ["user.name", "user.contact.phone_number"]);
        assert_eq!(c.related_dataset(), Some("address-book.entries"));
        let (own, rel, declared) = c.route("/unknown");
        assert!(!declared);
        assert_eq!(
            (c.keys(own), rel),
            (vec!["user.contact.email".to_owned()], 0)
        );
    }
}
