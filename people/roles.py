"""The five roles, held as Django groups of the same names."""

PRACTITIONER = "practitioner"
TRAINER = "trainer"
FINANCE = "finance"
BUSINESS_UNIT = "business_unit"
AGENCY_MANAGER = "agency_manager"

ALL = (PRACTITIONER, TRAINER, FINANCE, BUSINESS_UNIT, AGENCY_MANAGER)
