# China, PIPL Art. 40: an operator of critical information infrastructure,
# or a handler above the CAC's volume thresholds (personal information of
# 1,000,000 people or more), stores the data in China and exports it only
# after a CAC security assessment.
package steward.rules.cn_40

import data.steward.lib

meta := {
	"id": "POL-CN-40",
	"title": "A CIIO or large handler exports personal information from China without a CAC security assessment",
	"severity": "error",
	"citation": "PIPL (China) Art. 40; Measures for Security Assessment of Outbound Data Transfers (CAC, 2022) Art. 4",
	"source": "https://epaper.bbtnews.com.cn/site1/bjsb/html/2022-07/08/content_477083.htm?div=-1",
	"fix": "Keep the data in China, or pass a CAC security assessment before the export and record it on the flow (`kind: cac_security_assessment` with the approval reference).",
}

large(f) if "CN" in input.organization.ciio_in

large(f) if f.subjects >= 1000000

violations contains v if {
	some f in input.transfers
	f.personal
	f.from_country == "CN"
	f.to_country != null
	f.to_country != "CN"
	large(f)
	object.get(f, ["basis", "kind"], "none") != "cac_security_assessment"
	v := {
		"resource": f.id,
		"kind": "flow",
		"message": sprintf("flow `%s` exports personal information from China to %s; as a CIIO or a handler of 1,000,000 people or more this needs a CAC security assessment", [f.id, f.to_country]),
		"facts": {
			"from": f.from,
			"to": f.to,
			"to_country": f.to_country,
			"ciio": "CN" in input.organization.ciio_in,
			"subjects": f.subjects,
			"basis": f.basis,
		},
	}
}
