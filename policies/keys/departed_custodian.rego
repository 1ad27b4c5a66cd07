# A key that is still valid while someone who could read it has left: the
# 2025 breach's root cause (a departed engineer's retained signing key).
package steward.rules.departed_custodian

meta := {
	"id": "POL-KEY-DEPARTED-CUSTODIAN",
	"title": "A signing key is still valid although a custodian has left",
	"severity": "error",
	"citation": "PIPC Standards for Personal Information Security Measures Art. 5(2) (revoke access without delay when a handler leaves); NIST SP 800-57 Part 1 Rev. 5 §5.3",
	"source": "https://guide.jinbo.net/data-protection-security/3-%ea%b0%9c%ec%9d%b8%ec%a0%95%eb%b3%b4%ec%9d%98-%ec%95%88%ec%a0%84%ec%84%b1-%ed%99%95%eb%b3%b4%ec%a1%b0%ec%b9%98-%ea%b8%b0%ec%a4%80-%ec%9d%b4%ed%95%b4%ed%95%98%ea%b8%b0/%ec%a0%9c5%ec%a1%b0%ec%a0%91%ea%b7%bc-%ea%b6%8c%ed%95%9c%ec%9d%98-%ea%b4%80%eb%a6%ac",
	"fix": "Rotate and retire the key now (the gateway must reject tokens it signs), remove the person from `custodians`, and make key retirement part of off-boarding.",
}

valid(k) if k.retired == null

valid(k) if k.retired.day > input.as_of.day

violations contains v if {
	some k in input.keys
	valid(k)
	gone := [{"custodian": c.id, "left": c.end_date.date} |
		some c in k.custodians
		c.end_date != null
		c.end_date.day <= input.as_of.day
	]
	strangers := [c.id |
		input.roster_known
		some c in k.custodians
		not c.on_roster
	]
	count(gone) + count(strangers) > 0
	v := {
		"resource": k.id,
		"kind": "key",
		"message": sprintf("key `%s` is still valid but %d of its custodians left and %d are not on the HR roster", [k.id, count(gone), count(strangers)]),
		"facts": {
			"departed": gone,
			"not_on_roster": strangers,
			"retired": object.get(k, ["retired", "date"], null),
			"storage": k.storage,
		},
	}
}
