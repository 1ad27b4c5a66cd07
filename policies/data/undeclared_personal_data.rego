# Personal data the scan found where the manifest says there is none
# (application logs, analytics exports, config folders): it escapes access
# control, retention and breach scoping built on the data map.
package steward.rules.undeclared_personal_data

meta := {
	"id": "POL-DATA-UNDECLARED",
	"title": "Personal data found in a dataset the manifest says holds none",
	"severity": "error",
	"citation": "GDPR Art. 30(1)(c) (records of processing list the categories of personal data); PIPA (Korea) Art. 29 and Art. 30 (safety measures and privacy policy cover all personal data processed)",
	"source": "https://gdprhub.eu/index.php?title=Article_30_GDPR",
	"fix": "Stop writing the personal data there (mask it at the logger or export), delete what is stored, or, if it must stay, declare the dataset as personal data with its fields and apply the controls that go with it.",
}

violations contains v if {
	some id, d in input.datasets
	not d.declared_personal
	count(d.found.personal) > 0
	v := {
		"resource": id,
		"kind": "dataset",
		"message": sprintf("dataset `%s` is declared to hold no personal data but the scan found %s", [id, concat(", ", sort(d.found.personal))]),
		"facts": {
			"categories": d.found.personal,
			"detectors": d.found.detectors,
			"location": d.location,
		},
	}
}
