# Shared lists and helpers for the steward packs. Lists that change by
# decree are data: extend them with `steward check --data lists.json`
# holding {"lists": {"kr_recognised": [...], "in_restricted": [...]}}.
package steward.lib

# The EEA: the 27 EU member states, Iceland, Liechtenstein and Norway.
eea := {
	"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
	"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
	"IS", "LI", "NO",
}

# Destinations with a European Commission adequacy decision (GDPR Art. 45):
# Andorra, Argentina, Canada (commercial), Faroe Islands, Guernsey, Israel,
# Isle of Man, Japan, Jersey, New Zealand, Republic of Korea, Switzerland,
# United Kingdom, Uruguay. The United States is adequate only for recipients
# certified under the EU-US Data Privacy Framework: record
# `kind: adequacy` with the certification as `reference`.
eu_adequate := {"AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"}

eu_adequate_with_certification := {"US"}

# Certifications PIPC designated for PIPA Art. 28-8(1)4 (ISMS-P, the
# Art. 32-2 certification), plus any in data.lists.kr_certifications.
kr_designated_certifications := {"ISMS-P"} | {c | some c in data.lists.kr_certifications}

# Destinations PIPC recognised under Art. 28-8(1)5. None is listed here;
# add them with data.lists.kr_recognised.
kr_recognised := {c | some c in data.lists.kr_recognised}

# Destinations India's Central Government restricted under DPDP s.16(1).
# None notified as of the 2025 Rules; add them with data.lists.in_restricted.
in_restricted := {c | some c in data.lists.in_restricted}

# Whether Korean law binds the organisation: established in Korea or
# serving people there.
korean_controller if input.organization.established_in == "KR"

korean_controller if "KR" in input.organization.markets

# Whether the GDPR binds the organisation: established in the EEA
# (Art. 3(1)) or offering goods or services to people there (Art. 3(2)).
gdpr_applies if input.organization.established_in in eea

gdpr_applies if {
	some c in input.organization.markets
	c in eea
}

# Whether a flow leaves the country it starts in.
crosses_border(f) if {
	f.to_country != null
	f.from_country != f.to_country
}
