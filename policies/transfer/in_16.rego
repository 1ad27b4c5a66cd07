# India, DPDP Act 2023 s.16(1): personal data may go to any country except
# those the Central Government restricts by notification (none notified as
# of the 2025 Rules; list them with data.lists.in_restricted).
package steward.rules.in_16

import data.steward.lib

meta := {
	"id": "POL-IN-16",
	"title": "Personal data leaves India for a destination the Central Government restricted",
	"severity": "error",
	"citation": "Digital Personal Data Protection Act 2023 (India) s.16(1)",
	"source": "https://checkdpdp.in/videos/section-16-cross-border-negative-list",
	"fix": "Stop the flow or move the recipient to a country not on the notified list; check sectoral rules (such as RBI payment-data storage) that are stricter.",
}

violations contains v if {
	some f in input.transfers
	f.personal
	f.from_country == "IN"
	f.to_country in lib.in_restricted
	v := {
		"resource": f.id,
		"kind": "flow",
		"message": sprintf("flow `%s` sends personal data from India to %s, a restricted destination", [f.id, f.to_country]),
		"facts": {"from": f.from, "to": f.to, "to_country": f.to_country},
	}
}
