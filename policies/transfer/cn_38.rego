# China, PIPL Art. 38: personal information collected in China leaves China
# only through a CAC security assessment, a PI-protection certification, the
# CAC standard contract, or another condition the CAC sets (the 2024
# Provisions' exemptions count as such, recorded as `cn_exemption`).
package steward.rules.cn_38

import data.steward.lib

meta := {
	"id": "POL-CN-38",
	"title": "Personal information collected in China leaves China without a PIPL Art. 38 mechanism",
	"severity": "error",
	"citation": "PIPL (China) Art. 38(1); Provisions on Promoting and Regulating Cross-Border Data Flows (CAC, 22 Mar 2024)",
	"source": "https://pipl.xllawconsulting.com/personal-information-protection-law-of-the-peoples-republic-of-china-pipl/chapter-iii-rules-on-provision-of-personal-information-across-the-border/article-38/",
	"fix": "Record the mechanism on the flow: `cac_security_assessment`, `pi_certification` or `cac_standard_contract` with its filing reference, or `cn_exemption` with the 2024 Provisions' exemption that applies; notify the people and obtain separate consent (Art. 39).",
}

mechanisms := {"cac_security_assessment", "pi_certification", "cac_standard_contract", "cn_exemption"}

violations contains v if {
	some f in input.transfers
	f.personal
	f.from_country == "CN"
	f.to_country != null
	f.to_country != "CN"
	not f.basis.kind in mechanisms
	v := {
		"resource": f.id,
		"kind": "flow",
		"message": sprintf("flow `%s` sends personal information collected in China to %s without a PIPL Art. 38 mechanism (recorded: %v)", [f.id, f.to_country, object.get(f, ["basis", "kind"], "none")]),
		"facts": {
			"from": f.from,
			"to": f.to,
			"from_country": f.from_country,
			"to_country": f.to_country,
			"basis": f.basis,
		},
	}
}
