# Vietnam, Decree 53/2022 Art. 26: data stored in Vietnam is kept at least
# 24 months and system logs at least 12 months.
package steward.rules.vn_system_logs

meta := {
	"id": "POL-VN-D53-LOGS",
	"title": "System logs are kept shorter than the 12 months Vietnam's Decree 53 requires",
	"severity": "error",
	"citation": "Decree 53/2022/ND-CP (Vietnam) Art. 26",
	"source": "https://technologyquotient.freshfields.com/post/102iulg/data-localisation-in-vietnam-highlights-under-decree-53-and-decree-13",
	"fix": "Keep the system's logs for at least 365 days and record `log_retention_days` in the manifest.",
}

kept(s) := s.log_retention_days if s.log_retention_days != null

else := 0

violations contains v if {
	"VN" in input.organization.markets
	some id, s in input.systems
	s.personal
	kept(s) < 365
	v := {
		"resource": id,
		"kind": "system",
		"message": sprintf("system `%s` keeps logs %v days; Decree 53 requires at least 365", [id, s.log_retention_days]),
		"facts": {"log_retention_days": s.log_retention_days, "required_days": 365},
	}
}
