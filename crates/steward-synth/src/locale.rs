//! Word lists for names, places and mail domains (see `data/README.md`),
//! parsed once from the embedded files.

use std::sync::LazyLock;

use crate::rng::Weighted;

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!("../data/", $name))
    };
}

fn lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn col(fields: &[&'static str], i: usize) -> &'static str {
    fields.get(i).copied().unwrap_or_default()
}

fn num(fields: &[&'static str], i: usize) -> u64 {
    col(fields, i).trim().parse().unwrap_or(0)
}

fn weighted(text: &'static str) -> Weighted<&'static str> {
    Weighted::new(lines(text).map(|f| (col(&f, 0), num(&f, 1).max(1))))
}

fn plain(text: &'static str) -> Vec<&'static str> {
    lines(text).map(|f| col(&f, 0)).collect()
}

/// A Korean province.
#[derive(Debug)]
pub struct KrRegion {
    /// Official name (서울특별시).
    pub full: &'static str,
    /// Short name (서울).
    pub short: &'static str,
    /// Postal-code prefix range.
    pub postal: (u64, u64),
    /// Districts (시/군/구).
    pub districts: Vec<&'static str>,
    /// ISO 3166-2 code.
    pub iso: &'static str,
}

/// A Japanese prefecture.
#[derive(Debug)]
pub struct JpPrefecture {
    /// Name.
    pub name: &'static str,
    /// Three-digit postal prefix range.
    pub postal: (u64, u64),
    /// Cities and wards.
    pub cities: Vec<&'static str>,
}

/// A Taiwanese district.
#[derive(Debug)]
pub struct TwDistrict {
    /// City.
    pub city: &'static str,
    /// District.
    pub district: &'static str,
    /// Postal code.
    pub postal: &'static str,
    /// Area letter of national IDs issued there.
    pub id_letter: char,
}

/// A US city.
#[derive(Debug)]
pub struct UsCity {
    /// City.
    pub city: &'static str,
    /// State code (`CA`).
    pub state: &'static str,
    /// Three-digit ZIP prefix.
    pub zip3: &'static str,
    /// Area code.
    pub area: &'static str,
}

/// An EU city.
#[derive(Debug)]
pub struct EuCity {
    /// Country code.
    pub country: &'static str,
    /// City.
    pub city: &'static str,
    /// Postal pattern (`#` digit, `@` letter, anything else literal).
    pub postal: &'static str,
}

/// Every list.
#[derive(Debug)]
pub struct Lists {
    pub kr_surnames: Weighted<&'static str>,
    pub kr_given: Vec<&'static str>,
    pub kr_regions: Weighted<usize>,
    pub kr_region_list: Vec<KrRegion>,
    pub kr_roads: Vec<&'static str>,
    pub kr_dongs: Vec<&'static str>,
    pub kr_buildings: Vec<&'static str>,
    pub jp_surnames: Weighted<&'static str>,
    pub jp_given: Vec<&'static str>,
    pub jp_prefectures: Weighted<usize>,
    pub jp_prefecture_list: Vec<JpPrefecture>,
    pub tw_surnames: Weighted<&'static str>,
    pub tw_given: Vec<&'static str>,
    pub tw_districts: Vec<TwDistrict>,
    pub tw_roads: Vec<&'static str>,
    pub us_first: Weighted<&'static str>,
    pub us_last: Weighted<&'static str>,
    pub us_streets: Vec<&'static str>,
    pub us_cities: Vec<UsCity>,
    pub eu_people: Vec<(&'static str, &'static str, &'static str)>,
    pub eu_cities: Vec<EuCity>,
    pub eu_streets: Vec<(&'static str, &'static str)>,
    pub email_domains: Vec<(&'static str, &'static str, u64)>,
}

/// Official ISO 3166-2 codes of the Korean provinces by short name.
const KR_ISO: &[(&str, &str)] = &[
    ("서울", "KR-11"),
    ("부산", "KR-26"),
    ("대구", "KR-27"),
    ("인천", "KR-28"),
    ("광주", "KR-29"),
    ("대전", "KR-30"),
    ("울산", "KR-31"),
    ("세종", "KR-50"),
    ("경기", "KR-41"),
    ("강원", "KR-42"),
    ("충북", "KR-43"),
    ("충남", "KR-44"),
    ("전북", "KR-45"),
    ("전남", "KR-46"),
    ("경북", "KR-47"),
    ("경남", "KR-48"),
    ("제주", "KR-49"),
];

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let districts: Vec<(&str, &str)> = lines(data!("kr_districts.txt"))
        .map(|f| (col(&f, 0), col(&f, 1)))
        .collect();
    let mut kr_weights = Vec::new();
    let kr_region_list: Vec<KrRegion> = lines(data!("kr_regions.txt"))
        .enumerate()
        .map(|(i, f)| {
            kr_weights.push((i, num(&f, 4).max(1)));
            let short = col(&f, 1);
            KrRegion {
                full: col(&f, 0),
                short,
                postal: (num(&f, 2), num(&f, 3)),
                districts: districts
                    .iter()
                    .filter(|(r, _)| *r == short)
                    .map(|(_, d)| *d)
                    .collect(),
                iso: KR_ISO
                    .iter()
                    .find(|(s, _)| *s == short)
                    .map_or("KR", |(_, c)| c),
            }
        })
        .collect();
    let jp_cities: Vec<(&str, &str)> = lines(data!("jp_cities.txt"))
        .map(|f| (col(&f, 0), col(&f, 1)))
        .collect();
    let mut jp_weights = Vec::new();
    let jp_prefecture_list = lines(data!("jp_prefectures.txt"))
        .enumerate()
        .map(|(i, f)| {
            jp_weights.push((i, num(&f, 3).max(1)));
            let name = col(&f, 0);
            JpPrefecture {
                name,
                postal: (num(&f, 1), num(&f, 2)),
                cities: jp_cities
                    .iter()
                    .filter(|(p, _)| *p == name)
                    .map(|(_, c)| *c)
                    .collect(),
            }
        })
        .collect();
    Lists {
        kr_surnames: weighted(data!("kr_surnames.txt")),
        kr_given: plain(data!("kr_given_syllables.txt")),
        kr_regions: Weighted::new(kr_weights),
        kr_region_list,
        kr_roads: plain(data!("kr_roads.txt")),
        kr_dongs: plain(data!("kr_dongs.txt")),
        kr_buildings: plain(data!("kr_buildings.txt")),
        jp_surnames: weighted(data!("jp_surnames.txt")),
        jp_given: plain(data!("jp_given_names.txt")),
        jp_prefectures: Weighted::new(jp_weights),
        jp_prefecture_list,
        tw_surnames: weighted(data!("tw_surnames.txt")),
        tw_given: plain(data!("tw_given_chars.txt")),
        tw_districts: lines(data!("tw_cities.txt"))
            .map(|f| TwDistrict {
                city: col(&f, 0),
                district: col(&f, 1),
                postal: col(&f, 2),
                id_letter: col(&f, 3).chars().next().unwrap_or('A'),
            })
            .collect(),
        tw_roads: plain(data!("tw_roads.txt")),
        us_first: weighted(data!("us_first_names.txt")),
        us_last: weighted(data!("us_last_names.txt")),
        us_streets: plain(data!("us_streets.txt")),
        us_cities: lines(data!("us_cities.txt"))
            .map(|f| UsCity {
                city: col(&f, 0),
                state: col(&f, 1),
                zip3: col(&f, 2),
                area: col(&f, 3),
            })
            .collect(),
        eu_people: lines(data!("eu_people.txt"))
            .map(|f| (col(&f, 0), col(&f, 1), col(&f, 2)))
            .collect(),
        eu_cities: lines(data!("eu_cities.txt"))
            .map(|f| EuCity {
                country: col(&f, 0),
                city: col(&f, 1),
                postal: col(&f, 2),
            })
            .collect(),
        eu_streets: lines(data!("eu_streets.txt"))
            .map(|f| (col(&f, 0), col(&f, 1)))
            .collect(),
        email_domains: lines(data!("email_domains.txt"))
            .map(|f| (col(&f, 0), col(&f, 1), num(&f, 2).max(1)))
            .collect(),
    }
});

/// The lists.
#[must_use]
pub fn lists() -> &'static Lists {
    &LISTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_populated() {
        let l = lists();
        assert_eq!(l.kr_region_list.len(), 17);
        assert!(
            l.kr_region_list
                .iter()
                .all(|r| !r.districts.is_empty() && r.iso.starts_with("KR-"))
        );
        assert!(
            l.kr_region_list
                .iter()
                .all(|r| r.postal.0 >= 1 && r.postal.1 <= 63 && r.postal.0 <= r.postal.1)
        );
        assert_eq!(l.jp_prefecture_list.len(), 47);
        assert!(l.jp_prefecture_list.iter().all(|p| !p.cities.is_empty()));
        assert!(l.tw_districts.len() >= 20);
        assert!(l.us_cities.len() >= 50);
        assert!(l.eu_people.len() >= 100 && l.eu_cities.len() >= 30);
        assert!(l.kr_given.len() >= 100 && l.kr_roads.len() >= 100);
        assert!(l.email_domains.iter().any(|d| d.0 == "naver.com"));
    }
}
