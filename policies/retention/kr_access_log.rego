# Korea, PIPC Standards for Personal Information Security Measures Art. 8(1):
# access records of a personal information processing system are kept at
# least 1 year, and at least 2 years where the system processes data of
# 50,000 people or more, or unique identifiers or sensitive information.
package steward.rules.kr_access_log

import data.steward.lib

meta := {
	"id": "POL-KR-ACCESS-LOG",
	"title": "Access logs of a system holding personal data are kept shorter than Korea requires",
	"severity": "error",
	"citation": "PIPC Standards for Personal Information Security Measures Art. 8(1) (1 year; 2 years for 50,000+ people, unique identifiers or sensitive information)",
	"source": "https://guide.jinbo.net/data-protection-security/3-%ea%b0%9c%ec%9d%b8%ec%a0%95%eb%b3%b4%ec%9d%98-%ec%95%88%ec%a0%84%ec%84%b1-%ed%99%95%eb%b3%b4%ec%a1%b0%ec%b9%98-%ea%b8%b0%ec%a4%80-%ec%9d%b4%ed%95%b4%ed%95%98%ea%b8%b0/%ec%a0%9c8%ec%a1%b0%ec%a0%91%ec%86%8d%ea%b8%b0%eb%a1%9d%ec%9d%98-%eb%b3%b4%ea%b4%80-%eb%b0%8f-%ec%a0%90%ea%b2%80",
	"fix": "Keep the system's access logs for at least the required days (write-once storage, beyond plausible attacker dwell time) and record `log_retention_days` in the manifest.",
}

two_years(s) if s.unique_ids

two_years(s) if s.sensitive

two_years(s) if s.subjects >= 50000

required(s) := 730 if two_years(s)

else := 365

kept(s) := s.log_retention_days if s.log_retention_days != null

else := 0

violations contains v if {
	lib.korean_controller
	some id, s in input.systems
	s.personal
	kept(s) < required(s)
	v := {
		"resource": id,
		"kind": "system",
		"message": sprintf("system `%s` keeps access logs %s; Korea requires at least %d days", [id, days_text(s), required(s)]),
		"facts": {
			"log_retention_days": s.log_retention_days,
			"required_days": required(s),
			"unique_ids": s.unique_ids,
			"sensitive": s.sensitive,
			"subjects": s.subjects,
		},
	}
}

days_text(s) := sprintf("%d days", [s.log_retention_days]) if s.log_retention_days != null

else := "for an unrecorded time"
