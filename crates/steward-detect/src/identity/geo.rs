//! Where countries are, for travel arithmetic: one representative point per
//! country (the capital or main traffic hub) and great-circle distances.
//!
//! A point per country is coarse: within large countries (US, RU, CN, BR,
//! AU, CA) real distances differ by thousands of kilometres, which is why
//! `geo-travel` adds a slack and a minimum distance. Countries not listed
//! are never judged for travel.

use steward_model::jurisdiction::Country;

/// (alpha-2 code, latitude, longitude), sorted by code.
const POINTS: &[(&str, f64, f64)] = &[
    ("AE", 25.20, 55.27),
    ("AR", -34.60, -58.38),
    ("AT", 48.21, 16.37),
    ("AU", -33.87, 151.21),
    ("BD", 23.81, 90.41),
    ("BE", 50.85, 4.35),
    ("BG", 42.70, 23.32),
    ("BR", -23.55, -46.63),
    ("CA", 43.65, -79.38),
    ("CH", 47.37, 8.54),
    ("CL", -33.45, -70.67),
    ("CN", 39.90, 116.40),
    ("CO", 4.71, -74.07),
    ("CZ", 50.08, 14.44),
    ("DE", 50.11, 8.68),
    ("DK", 55.68, 12.57),
    ("EE", 59.44, 24.75),
    ("EG", 30.04, 31.24),
    ("ES", 40.42, -3.70),
    ("FI", 60.17, 24.94),
    ("FR", 48.86, 2.35),
    ("GB", 51.51, -0.13),
    ("GR", 37.98, 23.73),
    ("HK", 22.32, 114.17),
    ("HR", 45.81, 15.98),
    ("HU", 47.50, 19.04),
    ("ID", -6.21, 106.85),
    ("IE", 53.35, -6.26),
    ("IL", 32.09, 34.78),
    ("IN", 28.61, 77.21),
    ("IQ", 33.31, 44.37),
    ("IR", 35.69, 51.39),
    ("IS", 64.15, -21.94),
    ("IT", 41.90, 12.50),
    ("JP", 35.68, 139.69),
    ("KE", -1.29, 36.82),
    ("KH", 11.56, 104.92),
    ("KP", 39.02, 125.75),
    ("KR", 37.57, 126.98),
    ("KZ", 43.24, 76.89),
    ("LA", 17.98, 102.63),
    ("LK", 6.93, 79.85),
    ("LT", 54.69, 25.28),
    ("LU", 49.61, 6.13),
    ("LV", 56.95, 24.11),
    ("MM", 16.87, 96.20),
    ("MN", 47.92, 106.92),
    ("MO", 22.20, 113.55),
    ("MX", 19.43, -99.13),
    ("MY", 3.139, 101.687),
    ("NG", 6.52, 3.38),
    ("NL", 52.37, 4.90),
    ("NO", 59.91, 10.75),
    ("NP", 27.72, 85.32),
    ("NZ", -36.85, 174.76),
    ("PE", -12.05, -77.04),
    ("PH", 14.60, 120.98),
    ("PK", 24.86, 67.01),
    ("PL", 52.23, 21.01),
    ("PT", 38.72, -9.14),
    ("QA", 25.29, 51.53),
    ("RO", 44.43, 26.10),
    ("RS", 44.79, 20.45),
    ("RU", 55.76, 37.62),
    ("SA", 24.71, 46.68),
    ("SE", 59.33, 18.07),
    ("SG", 1.35, 103.82),
    ("SI", 46.06, 14.51),
    ("SK", 48.15, 17.11),
    ("TH", 13.76, 100.50),
    ("TR", 41.01, 28.98),
    ("TW", 25.03, 121.57),
    ("UA", 50.45, 30.52),
    ("US", 39.83, -98.58),
    ("UZ", 41.30, 69.24),
    ("VN", 10.82, 106.63),
    ("ZA", -26.20, 28.05),
];

/// Mean Earth radius, km.
const EARTH_KM: f64 = 6_371.0;

/// The representative point of `country`, if listed.
#[must_use]
pub fn point(country: Country) -> Option<(f64, f64)> {
    let code = country.code();
    POINTS
        .binary_search_by(|(c, _, _)| (*c).cmp(code))
        .ok()
        .and_then(|i| POINTS.get(i))
        .map(|&(_, lat, lon)| (lat, lon))
}

/// Great-circle distance between two countries' points, km.
#[must_use]
pub fn distance_km(a: Country, b: Country) -> Option<f64> {
    let (lat1, lon1) = point(a)?;
    let (lat2, lon2) = point(b)?;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    Some(2.0 * EARTH_KM * h.sqrt().min(1.0).asin())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Country {
        Country::parse(code).unwrap()
    }

    #[test]
    fn table_is_sorted_and_every_code_is_a_country() {
        assert!(POINTS.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, lat, lon) in POINTS {
            assert!(Country::parse(code).is_ok(), "{code}");
            assert!((-90.0..=90.0).contains(lat) && (-180.0..=180.0).contains(lon));
        }
    }

    #[test]
    fn distances_are_plausible() {
        let seoul_tokyo = distance_km(c("KR"), c("JP")).unwrap();
        assert!((1_100.0..1_200.0).contains(&seoul_tokyo), "{seoul_tokyo}");
        let seoul_beijing = distance_km(c("KR"), c("CN")).unwrap();
        assert!((900.0..1_000.0).contains(&seoul_beijing), "{seoul_beijing}");
        assert_eq!(distance_km(c("KR"), c("KR")), Some(0.0));
        assert_eq!(distance_km(c("KR"), c("BT")), None);
    }
}
