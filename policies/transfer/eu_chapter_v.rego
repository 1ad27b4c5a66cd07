# EU GDPR Chapter V: a controller the GDPR binds that discloses personal
# data of people in the EEA to another party in a third country needs an
# adequacy decision (Art. 45), appropriate safeguards such as SCCs (Art. 46)
# or BCRs (Art. 47), or a documented derogation such as explicit consent
# (Art. 49). Moves inside one controller are not transfers (EDPB Guidelines
# 05/2021); flows to a vendor are.
package steward.rules.eu_chapter_v

import data.steward.lib

meta := {
	"id": "POL-EU-V",
	"title": "Personal data of people in the EEA goes to a recipient in a third country without a GDPR Chapter V basis",
	"severity": "error",
	"citation": "GDPR (EU) 2016/679 Arts. 44-49",
	"source": "https://gdprhub.eu/index.php?title=Article_46_GDPR",
	"fix": "Record a Chapter V basis on the flow: `adequacy` (destination with an adequacy decision; for the US, the recipient's Data Privacy Framework certification as `reference`), `scc` (module and version as `reference`), `bcr`, or a documented Art. 49 derogation (`consent` or `derogation` with its `reference`).",
}

# Datasets holding data of people in the EEA, worked out once.
eea_datasets contains id if {
	some id, d in input.datasets
	some c in d.subjects_from
	c in lib.eea
}

# An adequacy decision needs no further authorisation (Art. 45(1)).
accepted(f) if f.to_country in lib.eu_adequate

accepted(f) if {
	f.basis.kind == "adequacy"
	f.to_country in lib.eu_adequate_with_certification
	f.basis.reference != null
}

accepted(f) if {
	f.basis.kind in {"consent", "derogation"}
	f.basis.reference != null
}

violations contains v if {
	lib.gdpr_applies
	some f in input.transfers
	f.to_vendor
	not f.to_country in lib.eea
	not f.to_country in lib.eu_adequate
	not f.basis.kind in {"scc", "bcr"}
	f.from in eea_datasets
	not accepted(f)
	v := {
		"resource": f.id,
		"kind": "flow",
		"message": sprintf("flow `%s` discloses personal data of people in the EEA to `%s` in %s without a Chapter V basis (recorded: %v)", [f.id, f.to, f.to_country, object.get(f, ["basis", "kind"], "none")]),
		"facts": {
			"to": f.to,
			"to_country": f.to_country,
			"eea_subjects": sort([c | some c in f.subjects_from; c in lib.eea]),
			"adequate_destination": f.to_country in lib.eu_adequate,
			"basis": f.basis,
		},
	}
}
