# A signing key still signing past its own rotation period. Long-lived keys
# are what let the 2025 breach run for months (DOMAIN §1.5, item 3).
package steward.rules.rotation

meta := {
	"id": "POL-KEY-ROTATION",
	"title": "A signing key is older than its rotation policy and still signs",
	"severity": "error",
	"citation": "NIST SP 800-57 Part 1 Rev. 5 §5.3 (cryptoperiods); PIPC Standards for Personal Information Security Measures Art. 7 (key management)",
	"source": "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
	"fix": "Rotate the key now (issue a new key, record `rotated`), retire the old one once its tokens expire (`retired`), and automate rotation within `rotation_days`.",
}

violations contains v if {
	some k in input.keys
	k.rotation_days != null
	k.rotated == null
	k.retired == null
	due := k.created.day + k.rotation_days
	input.as_of.day > due
	v := {
		"resource": k.id,
		"kind": "key",
		"message": sprintf("key `%s` was created %s with a %d-day rotation policy and still signs %d days later", [k.id, k.created.date, k.rotation_days, input.as_of.day - k.created.day]),
		"facts": {
			"created": k.created.date,
			"rotation_days": k.rotation_days,
			"age_days": input.as_of.day - k.created.day,
			"overdue_days": input.as_of.day - due,
			"used_by": k.used_by,
		},
	}
}
