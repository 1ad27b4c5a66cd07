//! `PERSON_NAME`: names of people, where a label or column says so.
//!
//! **What it detects.** Korean names (a common surname and one to three
//! syllables), Chinese and Japanese names in Han script (two to four
//! characters, or surname and given name with a space), and Latin names of
//! two to four capitalised words, after a label (이름, 성명, 고객명,
//! 수령인, full name, recipient) or in a column whose name says it holds names.
//!
//! **Why it matters.** A name turns every other field of a record into
//! information about a person.
//!
//! **Validation.** Script and shape; Korean names must start with a known
//! surname. Free text without a label is not searched for names: that needs
//! a language model and would drown the report in false positives.
//!
//! **Example.** `수령인: 김민수`, column `recipient_name`.
//!
//! **False positives.** Product or company names in a column called
//! `name`: such columns rarely pass the 50% share of name-shaped values.
//!
//! **References.** shared/DOMAIN.md §2.8; Statistics Korea surname census
//! (the most common surnames).

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use crate::detector::{Detector, Verdict};

/// The most common Korean surnames (about 99% of the population).
const KR_SURNAMES: &str = "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부황보남궁제갈선우독고";

const NAME: &str = r"[가-힣]{2,4}|\p{Han}{2,4}|\p{Han}{1,3} \p{Han}{1,3}|\p{Lu}[\p{L}'’-]*\p{Ll}(?: (?:van|von|de|der|den|da|di|del|la|le|\p{Lu}[\p{L}'’-]*\p{Ll})){1,3}";

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("PERSON_NAME", "Person name", keys::NAME, validate)
        .pattern(&format!(
            r"(?:이름|성명|고객명|수령인|받는 ?분|예금주|[Ff]ull [Nn]ame|[Cc]ustomer [Nn]ame|[Rr]ecipient(?: [Nn]ame)?|氏名|姓名) {{0,2}}[:=：] {{0,2}}(?P<v>{NAME})(?:$|[^\p{{L}}])"
        ))
        .cell_pattern(NAME)
        .context(&["이름", "성명", "고객명", "수령인", "full name", "customer name", "recipient", "氏名", "姓名"])
        .columns(&["name", "이름", "성명", "고객명", "수령인", "recipient", "fullname", "firstname", "lastname", "surname", "givenname", "氏名", "姓名", "holder"])
        .not_columns(&["filename", "username", "hostname", "productname", "itemname", "tablename", "columnname", "rolename", "teamname", "companyname", "storename", "shopname", "brandname", "nameid", "typename", "servicename", "bankname", "cityname", "domainname", "keyname", "displayname", "nickname"])
        .needs_context()
        .mask(MaskStyle::Name)
        .describe("Korean, CJK and Latin person names after a label or in a name column.")
}

fn validate(s: &str) -> Option<Verdict> {
    let first = s.chars().next()?;
    let hangul = |c: char| ('가'..='힣').contains(&c);
    if hangul(first) {
        let n = s.chars().count();
        return ((2..=4).contains(&n) && s.chars().all(hangul) && KR_SURNAMES.contains(first))
            .then_some(Verdict::new(0.6));
    }
    if first.is_uppercase() {
        let words = s.split(' ').count();
        return ((2..=4).contains(&words)
            && s.chars()
                .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’')))
        .then_some(Verdict::new(0.55));
    }
    // Han script (Chinese, Japanese kanji names).
    let han = s.chars().filter(|c| !c.is_whitespace()).count();
    ((2..=6).contains(&han) && s.chars().all(|c| c.is_alphabetic() || c == ' '))
        .then_some(Verdict::new(0.55))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(validate("김민수").is_some());
        assert!(validate("Jan Schäfer").is_some());
        assert!(validate("Lotte van den Berg").is_some());
        assert!(validate("長谷川 達也").is_some());
        assert!(validate("蘇正靜").is_some());
        assert_eq!(validate("뷁민수"), None);
        assert_eq!(validate("Organic"), None);
        assert_eq!(validate("SKU-000001"), None);
    }
}
