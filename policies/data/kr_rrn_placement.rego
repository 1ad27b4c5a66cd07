# Korea, PIPA Art. 24-2: resident registration numbers may be processed only
# where a statute requires or permits it, in an emergency, or where PIPC
# allows it. An RRN in a dataset whose declared fields hold none (support
# tickets, logs, exports) has no such basis in the data map.
package steward.rules.kr_rrn_placement

import data.steward.lib

meta := {
	"id": "POL-KR-24-2",
	"title": "Korean resident registration numbers found where no national-id field is declared",
	"severity": "error",
	"citation": "PIPA (Korea) Art. 24-2(1) and (2)",
	"source": "https://prighter.com/resources/laws/korean-pipa/main/articles/article-24-2",
	"fix": "Remove the numbers (and stop collecting them there: mask them at intake), or, where a statute requires them, keep them only in a declared national-id field, encrypted.",
}

rrn_detectors := {"KR_RRN"}

violations contains v if {
	some id, d in input.datasets
	not d.declares_national_id
	counts := [n | some x, n in d.found.detectors; x in rrn_detectors]
	count(counts) > 0
	v := {
		"resource": id,
		"kind": "dataset",
		"message": sprintf("dataset `%s` holds %d resident registration numbers but declares no national-id field", [id, sum(counts)]),
		"facts": {"values": sum(counts), "location": d.location},
	}
}

violations contains v if {
	some u in input.unmapped
	counts := [n | some x, n in u.found.detectors; x in rrn_detectors]
	count(counts) > 0
	v := {
		"resource": u.path,
		"kind": "path",
		"message": sprintf("`%s`, which no manifest dataset covers, holds %d resident registration numbers", [u.path, sum(counts)]),
		"facts": {"values": sum(counts)},
	}
}
