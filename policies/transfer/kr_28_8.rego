# Korea, PIPA Art. 28-8: personal data of people in Korea provided,
# entrusted or stored abroad needs one of the five bases in paragraph 1, and
# a transfer to another party needs a contract with the recipient on safety
# measures and grievance and dispute handling (paragraph 4, Decree Art. 29-10).
package steward.rules.kr_28_8

import data.steward.lib

meta := {
	"id": "POL-KR-28-8",
	"title": "Personal data of people in Korea leaves Korea without a basis PIPA Art. 28-8 accepts",
	"severity": "error",
	"citation": "PIPA (Korea) Art. 28-8(1) and (4); Enforcement Decree Arts. 29-8 to 29-10",
	"source": "https://prighter.com/resources/laws/korean-pipa/main/articles/article-28-8",
	"fix": "Record a basis on the flow: separate consent (with its record id), a statute or treaty, necessity for a contract with the person disclosed in the privacy policy (`disclosed: true`), a recipient certification PIPC designated (such as ISMS-P), or a destination PIPC recognised; for an outside recipient, also record the contract covering safety measures and grievance handling (`contract`).",
}

accepted(f) if f.basis.kind in {"consent", "statute", "treaty"}

accepted(f) if {
	f.basis.kind == "contract_necessity"
	f.basis.disclosed
}

accepted(f) if {
	f.basis.kind == "certification"
	some c in f.recipient_certifications
	c in lib.kr_designated_certifications
}

accepted(f) if {
	f.basis.kind == "adequacy"
	f.to_country in lib.kr_recognised
}

basis_problem(f) := "no transfer basis is recorded" if f.basis == null

basis_problem(f) := sprintf("the recorded basis `%s` is not one Art. 28-8(1) accepts here", [f.basis.kind]) if {
	f.basis != null
	not accepted(f)
}

contract_missing(f) if {
	f.to_vendor
	f.contract == null
}

reasons(f) := {r | r := basis_problem(f)} | {r | contract_missing(f); r := "no contract with the recipient is recorded"}

# The common case, answered before any reason is worked out.
fine(f) if {
	f.basis.kind in {"consent", "statute", "treaty"}
	not contract_missing(f)
}

violations contains v if {
	lib.korean_controller
	some f in input.transfers
	"KR" in f.subjects_from
	f.to_country != "KR"
	not fine(f)
	why := reasons(f)
	count(why) > 0
	v := {
		"resource": f.id,
		"kind": "flow",
		"message": sprintf("flow `%s` moves personal data of people in Korea from %s to %s: %s", [f.id, f.from_country, f.to_country, concat("; ", sort(why))]),
		"facts": {
			"from": f.from,
			"to": f.to,
			"from_country": f.from_country,
			"to_country": f.to_country,
			"kind": f.kind,
			"categories": f.categories,
			"basis": f.basis,
			"contract": f.contract,
			"reasons": sort(why),
		},
	}
}
