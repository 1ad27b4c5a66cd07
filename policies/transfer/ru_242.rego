# Russia, Federal Law 152-FZ Art. 18(5) (since 242-FZ, 1 Sep 2015): personal
# data of Russian citizens is recorded, systematised, accumulated, stored,
# clarified and retrieved using databases in Russia. Before 1 Jul 2025 a
# copy abroad was tolerated if the primary database was in Russia; from
# 1 Jul 2025 (23-FZ) any such database outside Russia is a violation.
package steward.rules.ru_242

import data.steward.lib

meta := {
	"id": "POL-RU-242",
	"title": "Personal data of Russian citizens is kept in a database outside Russia",
	"severity": "error",
	"citation": "Federal Law No. 152-FZ (Russia) Art. 18(5), as amended by No. 242-FZ (2015) and No. 23-FZ (from 1 Jul 2025)",
	"source": "https://wilmap.stanford.edu/entries/federal-law-no-242-fz",
	"fix": "Move the database to Russia (and notify Roskomnadzor of its location); before 1 Jul 2025 keep at least the primary database there. Transfers abroad go from the Russian database under the cross-border rules.",
}

# 1 Jul 2025 as a day number.
strict_from := 20270

russian(d) if {
	d.personal
	"RU" in d.subjects_from
}

# A database in Russia holds Russians' data (the primary, before 23-FZ).
default primary_in_russia := false

primary_in_russia if {
	some d in input.datasets
	russian(d)
	d.country == "RU"
}

violates(d) if input.as_of.day >= strict_from

violates(d) if {
	input.as_of.day < strict_from
	not primary_in_russia
}

violations contains v if {
	some id, d in input.datasets
	russian(d)
	d.country != null
	d.country != "RU"
	violates(d)
	v := {
		"resource": id,
		"kind": "dataset",
		"message": sprintf("dataset `%s` holds personal data of Russian citizens in %s", [id, d.country]),
		"facts": {
			"country": d.country,
			"subjects_from": d.subjects_from,
			"as_of": input.as_of.date,
			"after_23_fz": input.as_of.day >= strict_from,
			"primary_in_russia": primary_in_russia,
		},
	}
}
