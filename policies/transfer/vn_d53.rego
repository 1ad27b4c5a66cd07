# Vietnam, Decree 53/2022 Art. 26: domestic enterprises store users'
# personal information, user-created data and relationship data in Vietnam;
# foreign enterprises in the listed services (e-commerce among them) do so
# once the Ministry of Public Security requests it.
package steward.rules.vn_d53

import data.steward.lib

meta := {
	"id": "POL-VN-D53",
	"title": "Data of users in Vietnam is stored outside Vietnam where Decree 53 requires local storage",
	"severity": "error",
	"citation": "Decree 53/2022/ND-CP (Vietnam) Art. 26",
	"source": "https://technologyquotient.freshfields.com/post/102iulg/data-localisation-in-vietnam-highlights-under-decree-53-and-decree-13",
	"fix": "Store the data in Vietnam (and, for a foreign enterprise under an MPS request, open a branch or representative office there within 12 months of the request).",
}

bound if input.organization.established_in == "VN"

bound if "VN" in input.organization.localisation_orders

violations contains v if {
	bound
	some id, d in input.datasets
	d.personal
	"VN" in d.subjects_from
	d.country != null
	d.country != "VN"
	v := {
		"resource": id,
		"kind": "dataset",
		"message": sprintf("dataset `%s` holds data of users in Vietnam in %s", [id, d.country]),
		"facts": {
			"country": d.country,
			"domestic_enterprise": input.organization.established_in == "VN",
			"mps_request": "VN" in input.organization.localisation_orders,
		},
	}
}
