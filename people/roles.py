"""The roles, held as Django groups of the same names.

Business unit, finance and trainer are held for partnerships (people.models.RoleGrant); practitioner,
agency manager and network lead are network-wide."""

PRACTITIONER = "practitioner"
TRAINER = "trainer"
FINANCE = "finance"
BUSINESS_UNIT = "business_unit"
AGENCY_MANAGER = "agency_manager"
NETWORK_LEAD = "network_lead"  # sees every partnership's reports, changes nothing

ALL = (PRACTITIONER, TRAINER, FINANCE, BUSINESS_UNIT, AGENCY_MANAGER, NETWORK_LEAD)
SCOPED = (BUSINESS_UNIT, FINANCE, TRAINER)
