# Private keys, signing secrets and cloud access keys the scan found in a
# data store, a log or a config folder.
package steward.rules.secrets_in_stores

meta := {
	"id": "POL-SECRET-IN-STORE",
	"title": "Keys or secrets sit readable in a data store",
	"severity": "error",
	"citation": "NIST SP 800-57 Part 1 Rev. 5 §6.2; PIPA (Korea) Art. 29 and PIPC Standards Art. 7",
	"source": "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
	"fix": "Revoke and rotate every secret found (assume it is copied), remove it from the store and its backups, and load secrets from a vault or KMS at run time.",
}

violations contains v if {
	some id, d in input.datasets
	count(d.found.secrets) > 0
	v := {
		"resource": id,
		"kind": "dataset",
		"message": sprintf("dataset `%s` holds secrets: %s", [id, concat(", ", sort([s | some s, _ in d.found.secrets]))]),
		"facts": {"secrets": d.found.secrets, "location": d.location},
	}
}

violations contains v if {
	some u in input.unmapped
	count(u.found.secrets) > 0
	v := {
		"resource": u.path,
		"kind": "path",
		"message": sprintf("`%s` holds secrets: %s", [u.path, concat(", ", sort([s | some s, _ in u.found.secrets]))]),
		"facts": {"secrets": u.found.secrets},
	}
}
