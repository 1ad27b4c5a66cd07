//! Box layout for the SVG map: one column per country, left to right in the
//! map's order; in each, its systems stacked (a header and one row per
//! dataset), then its vendors. Text is monospace, so widths are estimated
//! from character counts and every box is wide enough for its text.

use std::collections::HashMap;

use crate::graph::category_count;
use crate::model::DataMap;

/// Width of one character at [`FONT`] px in a monospace font (0.6 em).
pub(crate) const CHAR_W: f64 = 7.2;
/// Body font size.
pub(crate) const FONT: f64 = 12.0;
pub(crate) const MARGIN: f64 = 24.0;
pub(crate) const TITLE_H: f64 = 44.0;
/// Room between columns for the flow edges and their labels.
pub(crate) const COL_GAP: f64 = 150.0;
const COUNTRY_PAD: f64 = 12.0;
const COUNTRY_HEADER: f64 = 34.0;
const SYSTEM_HEADER: f64 = 38.0;
const ROW_H: f64 = 22.0;
const SYSTEM_PAD: f64 = 8.0;
const GAP: f64 = 12.0;
const VENDOR_H: f64 = 42.0;
const MIN_COL_W: f64 = 240.0;
pub(crate) const LEGEND_H: f64 = 70.0;

/// A rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub(crate) fn right(&self) -> f64 {
        self.x + self.w
    }
    pub(crate) fn mid_y(&self) -> f64 {
        self.y + self.h / 2.0
    }
    /// Whether two rectangles share any area.
    #[cfg(test)]
    pub(crate) fn overlaps(&self, o: &Self) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// A placed box: the index of its country column and its rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placed {
    pub column: usize,
    pub rect: Rect,
}

/// Every box of the map.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    pub width: f64,
    pub height: f64,
    /// One per country, in map order.
    pub countries: Vec<Rect>,
    /// Systems, datasets and vendors by manifest id.
    pub boxes: HashMap<String, Placed>,
    /// Flows that skip a column run along a lane above the countries, so
    /// that they never cross a box: flow id → the lane's y.
    pub lanes: HashMap<String, f64>,
}

/// Height of one lane.
const LANE_H: f64 = 20.0;

fn text_w(chars: usize) -> f64 {
    f64::from(u32::try_from(chars).unwrap_or(u32::MAX)) * CHAR_W
}

/// The widest text a country column has to hold.
fn column_width(map: &DataMap, column: usize) -> f64 {
    let Some(c) = map.countries.get(column) else {
        return MIN_COL_W;
    };
    let mut widest = text_w(c.name.chars().count() + 6) + 8.0;
    for s in &c.systems {
        widest = widest.max(text_w(s.name.chars().count()) + 2.0 * SYSTEM_PAD);
        let place = s.provider.as_deref().unwrap_or_default().len()
            + s.region.as_deref().unwrap_or_default().len()
            + 1;
        widest = widest.max(text_w(place) + 2.0 * SYSTEM_PAD);
        for d in &s.datasets {
            let chars = d.id.chars().count() + category_count(&d.holdings).len() + 3;
            widest = widest.max(text_w(chars) + 4.0 * SYSTEM_PAD);
        }
    }
    for v in &c.vendors {
        widest = widest.max(text_w(v.name.chars().count()) + 2.0 * SYSTEM_PAD);
    }
    (widest + 2.0 * COUNTRY_PAD).max(MIN_COL_W)
}

/// Lays the map out.
pub(crate) fn layout(map: &DataMap) -> Layout {
    let mut out = Layout::default();
    let column: HashMap<&str, usize> = map
        .countries
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            c.systems
                .iter()
                .flat_map(|s| s.datasets.iter().map(|d| d.id.as_str()))
                .chain(c.vendors.iter().map(|v| v.id.as_str()))
                .map(move |id| (id, i))
        })
        .collect();
    let mut lane_y = MARGIN + TITLE_H;
    for f in &map.flows {
        if let (Some(a), Some(b)) = (column.get(f.from.as_str()), column.get(f.to.as_str()))
            && a.abs_diff(*b) > 1
        {
            lane_y += LANE_H;
            out.lanes.insert(f.id.clone(), lane_y);
        }
    }
    let mut x = MARGIN;
    let top = lane_y
        + if out.lanes.is_empty() {
            0.0
        } else {
            LANE_H / 2.0
        };
    let mut bottom = top;
    for (column, c) in map.countries.iter().enumerate() {
        let w = column_width(map, column);
        let inner_x = x + COUNTRY_PAD;
        let inner_w = w - 2.0 * COUNTRY_PAD;
        let mut y = top + COUNTRY_HEADER;
        for s in &c.systems {
            let h = SYSTEM_HEADER
                + ROW_H * f64::from(u32::try_from(s.datasets.len()).unwrap_or(u32::MAX))
                + SYSTEM_PAD;
            out.boxes.insert(
                s.id.clone(),
                Placed {
                    column,
                    rect: Rect {
                        x: inner_x,
                        y,
                        w: inner_w,
                        h,
                    },
                },
            );
            let mut row_y = y + SYSTEM_HEADER;
            for d in &s.datasets {
                out.boxes.insert(
                    d.id.clone(),
                    Placed {
                        column,
                        rect: Rect {
                            x: inner_x + SYSTEM_PAD,
                            y: row_y,
                            w: inner_w - 2.0 * SYSTEM_PAD,
                            h: ROW_H - 4.0,
                        },
                    },
                );
                row_y += ROW_H;
            }
            y += h + GAP;
        }
        for v in &c.vendors {
            out.boxes.insert(
                v.id.clone(),
                Placed {
                    column,
                    rect: Rect {
                        x: inner_x,
                        y,
                        w: inner_w,
                        h: VENDOR_H,
                    },
                },
            );
            y += VENDOR_H + GAP;
        }
        let h = (y - top).max(COUNTRY_HEADER + GAP);
        out.countries.push(Rect { x, y: top, w, h });
        bottom = bottom.max(top + h);
        x += w + COL_GAP;
    }
    // The last column keeps room on its right for edges that loop back.
    out.width = (x - COL_GAP + COL_GAP / 2.0 + MARGIN).max(520.0);
    out.height = bottom + GAP + LEGEND_H + MARGIN;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "\
version: 1
organization: {name: Example, established_in: KR}
systems:
  - id: a
    name: A system with a rather long name that widens its column
    provider: aws
    region: ap-northeast-2
    datasets:
      - {id: a.one, location: a1.csv, format: csv, personal_data: true}
      - {id: a.two-with-a-long-identifier, location: a2.csv, format: csv, personal_data: true}
  - id: b
    name: B
    country: KR
    datasets:
      - {id: b.one, location: b1.csv, format: csv, personal_data: false}
  - id: c
    name: C
    provider: gcp
    region: us-central1
    datasets:
      - {id: c.one, location: c1.csv, format: csv, personal_data: true}
vendors:
  - {id: v, name: Vendor, country: JP}
flows:
  - {id: far, from: a.one, to: c.one, purpose: p, kind: export, categories: [user.name]}
  - {id: near, from: a.one, to: v, purpose: p, kind: export, categories: [user.name]}
";

    #[test]
    fn boxes_sit_inside_their_country_and_never_overlap() {
        let loaded = steward_manifest::parse(MANIFEST, "m.yaml").unwrap();
        let map = crate::build(&loaded, None);
        let l = layout(&map);
        assert_eq!(l.countries.len(), 3);
        // KR, JP, US: the flow to US skips JP and runs above every box.
        assert_eq!(l.lanes.len(), 1);
        let lane = l.lanes["far"];
        assert!(l.countries.iter().all(|c| lane < c.y), "{lane}");
        for (i, a) in l.countries.iter().enumerate() {
            assert!(a.right() <= l.width && a.y + a.h <= l.height);
            for b in l.countries.iter().skip(i + 1) {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
        let leaves: Vec<(&String, &Placed)> = l
            .boxes
            .iter()
            .filter(|(id, _)| id.contains('.') || id.as_str() == "v")
            .collect();
        assert_eq!(leaves.len(), 5);
        for (id, p) in &leaves {
            let country = l.countries[p.column];
            assert!(
                p.rect.x >= country.x && p.rect.right() <= country.right(),
                "{id} leaves its column"
            );
            assert!(p.rect.y >= country.y && p.rect.y + p.rect.h <= country.y + country.h);
            let chars = id.chars().count();
            assert!(p.rect.w >= text_w(chars), "{id} is wider than its box");
            for (other, q) in &leaves {
                assert!(
                    id == other || !p.rect.overlaps(&q.rect),
                    "{id} overlaps {other}"
                );
            }
        }
    }
}
