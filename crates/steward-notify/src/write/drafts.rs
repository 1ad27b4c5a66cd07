//! Notice drafts to individuals, in Korean and English, filled with what a
//! notice must say: what happened and when, every item leaked, what the
//! company did, what people can do, whom to contact. Each is headed as a
//! draft for legal review.
//!
//! Lessons from the Korean regulator's orders in the 2025 Coupang case are
//! built in: the drafts say "leak" (유출), never "exposure" (노출); every
//! leaked item is listed, building entrance codes included; and when people
//! who are not customers were affected (address-book entries), the draft
//! says the notice goes to them too.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use steward_model::impact::ImpactSummary;

use super::when;
use crate::duty::Duty;
use crate::facts::{IncidentFacts, Localised};
use crate::regime::Regime;

/// Drafts in both languages for one individual-notice duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drafts {
    /// Korean.
    pub ko: String,
    /// English.
    pub en: String,
}

/// Korean names of the categories people most often see in notices.
const KO: &[(&str, &str)] = &[
    ("user.name", "이름"),
    ("user.contact.email", "이메일 주소"),
    ("user.contact.phone_number", "전화번호"),
    ("user.contact.address", "주소"),
    ("user.contact.address.street", "배송지 주소"),
    ("user.contact.address.kr_road_address", "도로명 주소"),
    ("user.contact.address.postal_code", "우편번호"),
    ("user.contact.address.city", "시·군·구"),
    ("user.contact.address.entrance_code", "공동현관 출입번호"),
    ("user.behavior.purchase_history", "주문 내역"),
    ("user.financial.credit_card", "신용카드 번호"),
    ("user.financial.bank_account", "계좌번호"),
    ("user.financial", "금융정보"),
    (
        "user.government_id.national_identification_number.kr_rrn",
        "주민등록번호",
    ),
    (
        "user.government_id.national_identification_number.kr_frn",
        "외국인등록번호",
    ),
    (
        "user.government_id.national_identification_number.us_ssn",
        "미국 사회보장번호(SSN)",
    ),
    (
        "user.government_id.national_identification_number.jp_my_number",
        "일본 마이넘버",
    ),
    (
        "user.government_id.national_identification_number.tw_id",
        "대만 신분증 번호",
    ),
    (
        "user.government_id.national_identification_number",
        "고유식별번호",
    ),
    ("user.government_id.kr_pccc", "개인통관고유부호"),
    ("user.government_id.passport_number", "여권번호"),
    ("user.government_id.drivers_license_number", "운전면허번호"),
    ("user.demographic.date_of_birth", "생년월일"),
    ("user.device.ip_address", "IP 주소"),
    ("user.account.username", "아이디"),
    ("user.authorization.password", "비밀번호"),
    ("user.authorization.credentials", "로그인 인증정보"),
    ("user.account", "계정 정보"),
];

fn name_en(key: &str) -> String {
    steward_model::category::taxonomy()
        .get(key)
        .map_or_else(|| key.to_owned(), |c| c.name.clone())
}

fn name_ko(key: &str) -> String {
    KO.iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| name_en(key), |(_, v)| (*v).to_owned())
}

/// People per category among those the duty's regime covers.
fn categories(regime: &Regime, duty: &Duty, summary: &ImpactSummary) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let mut add = |j: &steward_model::impact::JurisdictionImpact| {
        for (k, n) in &j.by_category {
            *out.entry(k.clone()).or_insert(0) += n;
        }
    };
    if duty.everyone {
        summary.by_country.values().for_each(&mut add);
    } else {
        regime
            .covers
            .countries
            .iter()
            .filter_map(|c| summary.by_country.get(c))
            .for_each(&mut add);
        regime
            .covers
            .subdivisions
            .iter()
            .filter_map(|c| summary.by_subdivision.get(c))
            .for_each(&mut add);
    }
    out.retain(|_, n| *n > 0);
    out
}

fn text(l: &Localised, ko: bool) -> Option<&str> {
    if ko { l.ko.as_deref() } else { l.en.as_deref() }
}

fn day(t: Option<jiff::Timestamp>, duty: &Duty) -> String {
    t.map_or_else(
        || "[date]".to_owned(),
        |t| {
            t.to_zoned_datetime(
                duty.clock_start
                    .as_ref()
                    .map_or(jiff::tz::TimeZone::UTC, |z| z.time_zone().clone()),
            )
            .strftime("%Y-%m-%d")
            .to_string()
        },
    )
}

/// Both drafts for an individual-notice duty.
#[must_use]
pub fn render(
    regime: &Regime,
    duty: &Duty,
    summary: &ImpactSummary,
    facts: &IncidentFacts,
) -> Drafts {
    Drafts {
        ko: one(regime, duty, summary, facts, true),
        en: one(regime, duty, summary, facts, false),
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one linear template per language, easier to review whole"
)]
fn one(
    regime: &Regime,
    duty: &Duty,
    summary: &ImpactSummary,
    facts: &IncidentFacts,
    ko: bool,
) -> String {
    let n = &facts.notice;
    let t = |en: &str, k: &str| if ko { k.to_owned() } else { en.to_owned() };
    let fill = |en: &str, k: &str| {
        if ko {
            format!("[{k}]")
        } else {
            format!("[{en}]")
        }
    };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "> **{}**\n",
        t(
            "DRAFT – for legal review. Do not send as is.",
            "초안 – 법률 검토용(DRAFT – for legal review). 검토 전 발송 금지."
        )
    );
    let _ = writeln!(
        o,
        "# {}\n",
        t("Notice of Data Breach", "개인정보 유출 통지")
    );
    let controller = text(&n.controller, ko)
        .map(str::to_owned)
        .unwrap_or_else(|| fill("company name", "회사명"));
    let _ = writeln!(o, "{controller}\n");
    // What happened.
    let _ = writeln!(o, "## {}\n", t("What happened", "유출 사실과 경위"));
    match text(&n.what_happened, ko) {
        Some(w) => {
            let _ = writeln!(o, "{w}\n");
        }
        None => {
            let _ = writeln!(
                o,
                "{}\n",
                fill(
                    "describe what happened, in plain words",
                    "무슨 일이 있었는지 쉬운 말로 적으십시오"
                )
            );
        }
    }
    let from = day(summary.first_access, duty);
    let to = day(summary.last_access, duty);
    let aware = day(facts.awareness_at.or(facts.discovered_at), duty);
    let _ = writeln!(
        o,
        "{}\n",
        if ko {
            format!(
                "{from}부터 {to}까지 권한 없는 접근으로 귀하의 개인정보가 유출되었습니다. 회사는 {aware}에 유출 사실을 알게 되었습니다."
            )
        } else {
            format!(
                "Your personal information was leaked through unauthorised access between {from} and {to}. We learned of the leak on {aware}."
            )
        }
    );
    // What was leaked.
    let _ = writeln!(
        o,
        "## {}\n",
        t("What information was leaked", "유출된 개인정보 항목")
    );
    let cats = categories(regime, duty, summary);
    for key in cats.keys() {
        let name = if ko { name_ko(key) } else { name_en(key) };
        let _ = writeln!(o, "- {name}");
    }
    if cats.is_empty() {
        let _ = writeln!(o, "- {}", fill("items leaked", "유출 항목"));
    }
    if cats.keys().any(|k| k.ends_with("entrance_code")) {
        let _ = writeln!(
            o,
            "\n{}",
            t(
                "Building entrance codes you gave us for deliveries were among the leaked items; please have them changed.",
                "배송을 위해 입력하신 공동현관 출입번호도 유출되었습니다. 출입번호 변경을 권고드립니다."
            )
        );
    }
    if duty.third_parties > 0 {
        let _ = writeln!(
            o,
            "\n{}",
            if ko {
                format!(
                    "이 통지는 회원이 아니지만 회원의 배송지 목록 등에 정보가 저장되어 있던 분들({}명)께도 보내드립니다.",
                    duty.third_parties
                )
            } else {
                format!(
                    "This notice also goes to the {} people who are not our customers but whose details were held in our customers' records, such as address books.",
                    duty.third_parties
                )
            }
        );
    }
    // What we are doing.
    let _ = writeln!(
        o,
        "\n## {}\n",
        t("What we are doing", "회사의 대응 조치 및 피해 구제 절차")
    );
    list(
        &mut o,
        &n.measures,
        ko,
        &fill("measures taken", "조치 내용"),
    );
    let _ = writeln!(
        o,
        "\n## {}\n",
        t(
            "What you can do",
            "피해를 줄이기 위해 정보주체가 할 수 있는 방법"
        )
    );
    list(
        &mut o,
        &n.steps,
        ko,
        &fill("steps people can take", "정보주체가 할 수 있는 조치"),
    );
    let _ = writeln!(
        o,
        "\n## {}\n",
        t("For more information", "담당 부서 및 연락처")
    );
    let contact = text(&n.contact, ko).map(str::to_owned).unwrap_or_else(|| {
        fill(
            "help desk phone, e-mail and web page",
            "상담 전화, 이메일, 웹페이지",
        )
    });
    let _ = writeln!(o, "{contact}\n");
    // Reviewer's checklist.
    let _ = writeln!(o, "---\n");
    let _ = writeln!(
        o,
        "{}",
        t(
            "Reviewer's checklist (remove before sending):",
            "검토자 확인 사항(발송 전 삭제):"
        )
    );
    let _ = writeln!(
        o,
        "- {}: {} ({})",
        t("Law", "근거 법령"),
        regime.name,
        regime.citation
    );
    let deadline = duty
        .deadline
        .as_ref()
        .map_or_else(|| duty.rule.clone(), when);
    let _ = writeln!(o, "- {}: {deadline}", t("Deadline", "기한"));
    let _ = writeln!(o, "- {}: {}", t("Recipients", "통지 대상"), duty.people);
    let _ = writeln!(o, "- {}:", t("Required content", "필수 기재 사항"));
    for c in &duty.content {
        let _ = writeln!(o, "  - [ ] {c}");
    }
    o
}

fn list(o: &mut String, items: &[Localised], ko: bool, placeholder: &str) {
    let mut any = false;
    for i in items {
        if let Some(s) = text(i, ko) {
            let _ = writeln!(o, "- {s}");
            any = true;
        }
    }
    if !any {
        let _ = writeln!(o, "- {placeholder}");
    }
}
