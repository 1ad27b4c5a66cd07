//! What the three graph writers share: short node ids, labels, and the
//! styling decision for a flow.

use std::collections::HashMap;

use crate::model::{DataMap, FlowEdge, Holding};

/// Node ids by manifest id: `s3` for a system, `d3_1` for a dataset, `v0`
/// for a vendor. Short, collision-free and valid in Mermaid, DOT and XML.
pub(crate) struct NodeIds {
    ids: HashMap<String, String>,
}

impl NodeIds {
    pub(crate) fn of(map: &DataMap) -> Self {
        let mut ids = HashMap::new();
        let (mut s, mut v) = (0usize, 0usize);
        for c in &map.countries {
            for system in &c.systems {
                ids.insert(system.id.clone(), format!("s{s}"));
                for (j, d) in system.datasets.iter().enumerate() {
                    ids.insert(d.id.clone(), format!("d{s}_{j}"));
                }
                s += 1;
            }
            for vendor in &c.vendors {
                ids.insert(vendor.id.clone(), format!("v{v}"));
                v += 1;
            }
        }
        Self { ids }
    }

    /// The node id of a system, dataset or vendor (`x` when unknown, which
    /// a map built by [`crate::build`] never has).
    pub(crate) fn get(&self, id: &str) -> &str {
        self.ids.get(id).map_or("x", String::as_str)
    }
}

/// `6 categories` / `1 category`.
pub(crate) fn category_count(holdings: &[Holding]) -> String {
    match holdings.len() {
        1 => "1 category".to_owned(),
        n => format!("{n} categories"),
    }
}

/// The last segment of a category key (`user.contact.email` → `email`).
pub(crate) fn leaf(category: &str) -> &str {
    category.rsplit('.').next().unwrap_or(category)
}

/// The label of a flow edge: id, kind, categories (short), basis.
pub(crate) fn flow_label(f: &FlowEdge) -> String {
    let cats: Vec<&str> = f.categories.iter().map(|c| leaf(c)).collect();
    let basis = match &f.basis {
        Some(b) => b.kind.clone(),
        None if f.cross_border => "NO BASIS".to_owned(),
        None => "no basis".to_owned(),
    };
    format!("{} ({}): {} [{basis}]", f.id, f.kind, cats.join(", "))
}

/// How an edge is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EdgeStyle {
    /// Within one country.
    Domestic,
    /// Across a border with a recorded basis.
    CrossBorder,
    /// Across a border with none recorded.
    CrossBorderNoBasis,
}

impl EdgeStyle {
    pub(crate) fn of(f: &FlowEdge) -> Self {
        match (f.cross_border, f.basis.is_some()) {
            (false, _) => Self::Domestic,
            (true, true) => Self::CrossBorder,
            (true, false) => Self::CrossBorderNoBasis,
        }
    }

    /// Stroke colour.
    pub(crate) const fn colour(self) -> &'static str {
        match self {
            Self::Domestic => "#6b7280",
            Self::CrossBorder => "#d97706",
            Self::CrossBorderNoBasis => "#dc2626",
        }
    }
}

/// Where a system runs, for labels: `aws ap-northeast-2`, or `declared`
/// for a system placed by its own `country`.
pub(crate) fn system_place(s: &crate::model::SystemNode) -> String {
    let place = [s.provider.as_deref(), s.region.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if place.is_empty() {
        s.placed_by.replace('_', " ")
    } else {
        place
    }
}
