# Key material the manifest says is kept readable (a config file, a
# repository) rather than in a vault, KMS or HSM.
package steward.rules.plaintext_key

meta := {
	"id": "POL-KEY-PLAINTEXT",
	"title": "A signing key is stored readable outside a vault, KMS or HSM",
	"severity": "error",
	"citation": "NIST SP 800-57 Part 1 Rev. 5 §6.2 (protection of keys in storage); PIPC Standards for Personal Information Security Measures Art. 7",
	"source": "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
	"fix": "Move the key into a KMS, HSM or secrets vault that logs each use, rotate it (the readable copy must be assumed taken), and record the new `storage`.",
}

protected := {"vault", "kms", "hsm"}

violations contains v if {
	some k in input.keys
	k.storage != null
	not lower(k.storage) in protected
	k.retired == null
	v := {
		"resource": k.id,
		"kind": "key",
		"message": sprintf("key `%s` is stored as `%s`", [k.id, k.storage]),
		"facts": {"storage": k.storage, "used_by": k.used_by},
	}
}
