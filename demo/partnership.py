"""The demo partnership: its agencies, courses, people and venues (seed 003), for demo.data and demo.samples."""

from datetime import time

from courses.models import Course
from people import roles
from people.models import Agency

DEMO_PASSWORD = "training-hub-demo"

AGENCIES = [
    ("halton-bc", "Halton Borough Council", Agency.Kind.STATUTORY_PARTNER, "Finance, Municipal Building, Widnes"),
    ("cheshire-police", "Cheshire Constabulary", Agency.Kind.STATUTORY_PARTNER, "Accounts payable"),
    ("cm-icb", "NHS Cheshire and Merseyside ICB", Agency.Kind.STATUTORY_PARTNER, "Accounts payable"),
    ("bridgewater", "Bridgewater Community Healthcare NHS Foundation Trust", Agency.Kind.RELEVANT_AGENCY, "Finance"),
    ("mersey-care", "Mersey Care NHS Foundation Trust", Agency.Kind.RELEVANT_AGENCY, "Finance"),
    ("probation", "Cheshire Probation Service", Agency.Kind.RELEVANT_AGENCY, "Finance"),
    ("cheshire-fire", "Cheshire Fire and Rescue Service", Agency.Kind.RELEVANT_AGENCY, "Finance"),
    ("youth-justice", "Halton Youth Justice Service", Agency.Kind.RELEVANT_AGENCY, "Finance"),
    ("riverside-college", "Riverside College", Agency.Kind.SCHOOL, "Bursar"),
    ("halton-schools", "Halton primary and secondary schools", Agency.Kind.SCHOOL, "School business managers"),
    ("halton-vca", "Halton and St Helens Voluntary and Community Action", Agency.Kind.VOLUNTARY, "Office manager"),
]

# Where the agency's staff have their work email: sign-up for the agency takes only these (subdomains too).
EMAIL_DOMAINS = {
    "halton-bc": "halton.gov.uk",
    "cheshire-police": "cheshire.police.uk",
    "cm-icb": "cm-icb.nhs.uk cheshireandmerseyside.nhs.uk nhs.net",
    "bridgewater": "bridgewater.nhs.uk nhs.net",
    "mersey-care": "merseycare.nhs.uk nhs.net",
    "cheshire-fire": "cheshirefire.gov.uk",
    "youth-justice": "halton.gov.uk",
    "riverside-college": "riverside-college.ac.uk",
}

B, MID, M = Course.Level.BASIC, Course.Level.INTERMEDIATE, Course.Level.MASTERCLASS
# (title, level, theme, minutes, summary)
COURSES = [
    (
        "Working Together to Safeguard Children Level 3",
        MID,
        "Multi-agency working",
        390,
        "The multi-agency safeguarding course for designated leads: roles, thresholds, strategy meetings and "
        "section 47 enquiries under Working Together 2023.",
    ),
    (
        "Working Together to Safeguard Children (Refresher)",
        MID,
        "Multi-agency working",
        180,
        "A refresher for practitioners who completed Working Together Level 3 three or more years ago.",
    ),
    (
        "Understanding Neglect and Local Procedures",
        B,
        "Neglect",
        180,
        "Recognising neglect, the Halton neglect toolkits and what to do next.",
    ),
    ("Educational Neglect", B, "Neglect", 120, "When absence from education is a safeguarding concern."),
    (
        "Child Exploitation Awareness",
        B,
        "Exploitation",
        180,
        "Criminal and sexual exploitation, county lines and the local response.",
    ),
    ("Missing From Home", B, "Exploitation", 120, "Return home interviews and the links with exploitation."),
    (
        "Intra-Familial Child Sexual Abuse",
        MID,
        "Child sexual abuse",
        390,
        "Recognising and responding to sexual abuse within the family environment.",
    ),
    (
        "Child Sexual Abuse Tools and Survivor's Story",
        M,
        "Child sexual abuse",
        360,
        "Halton's CSA strategy and response pathway, with a survivor's account.",
    ),
    (
        "Understanding Harmful Sexual Behaviour-Erase Tool",
        MID,
        "Child sexual abuse",
        390,
        "Using St Helens' ERASE protocol to identify and respond to harmful sexual behaviour.",
    ),
    (
        "Abuse of Position of Trust for Sexual Purposes",
        MID,
        "Child sexual abuse",
        120,
        "A Cheshire Police briefing on abuse of trust and the law.",
    ),
    ("Domestic Abuse Awareness", B, "Domestic abuse", 180, "The impact of domestic abuse on children."),
    (
        "DASH (2009-2024) Risk Identification, Assessment and Management Model",
        MID,
        "Domestic abuse",
        180,
        "How to use the DASH risk model, and referral to MARAC.",
    ),
    (
        "Non-Fatal Strangulation and Suffocation",
        MID,
        "Domestic abuse",
        120,
        "Recognising non-fatal strangulation and the risk it signals.",
    ),
    ("Honour Based Abuse", MID, "Domestic abuse", 180, "Recognising honour-based abuse and forced marriage."),
    (
        "Responding to Sexual Assault & Violence",
        MID,
        "Sexual violence",
        180,
        "Responding to disclosures of sexual assault.",
    ),
    ("Sexual Violence Awareness", B, "Sexual violence", 120, "An introduction to sexual violence and support."),
    (
        "Mental Health Disorder and Parenting Capacity",
        MID,
        "Parental factors",
        180,
        "How parental mental health can affect parenting and children.",
    ),
    ("Reducing Parental Conflict", B, "Parental factors", 120, "Spotting and reducing harmful parental conflict."),
    ("Prevent", B, "Radicalisation", 120, "The Prevent duty and making a referral."),
    (
        "Trauma Informed Awareness",
        B,
        "Trauma informed practice",
        90,
        "Created with Warrington's partnership: trauma, adverse childhood experiences and a trauma-informed approach.",
    ),
    ("Ketamine Awareness", B, "Substance misuse", 90, "Ketamine use among young people (funded by the PCC)."),
    (
        "Neurodevelopmental Conditions Professionals Awareness Raising",
        B,
        "Neurodiversity",
        120,
        "Awareness of neurodevelopmental conditions for safeguarding practitioners.",
    ),
    (
        "Managing Allegations Against People who work or volunteer with children",
        MID,
        "Allegations",
        180,
        "The LADO process and managing allegations against staff and volunteers.",
    ),
    (
        "How to manage risk posed by sex offenders, domestic abuse and understanding the MAPPA process",
        M,
        "Risk management",
        60,
        "A lunchtime 'How to...' session from a police perspective on MAPPA.",
    ),
]
OUTCOMES = (
    "Recognise the signs and indicators\n"
    "Know the local procedures and who to contact\n"
    "Work with partner agencies to keep children safe"
)

# email, name, agency, roles, job title
PEOPLE = [
    ("practitioner@halton.gov.uk", "Priya Shah", "halton-bc", [roles.PRACTITIONER], "Social worker"),
    ("colleague@halton.gov.uk", "Tom Walsh", "halton-bc", [roles.PRACTITIONER], "Family support worker"),
    ("nurse@bridgewater.nhs.uk", "Grace Okafor", "bridgewater", [roles.PRACTITIONER], "Health visitor"),
    (
        "trainer@cheshire.police.uk",
        "Sam Hughes",
        "cheshire-police",
        [roles.PRACTITIONER, roles.TRAINER],
        "Detective sergeant, public protection",
    ),
    (
        "trainer@cm-icb.nhs.uk",
        "Alison Reid",
        "cm-icb",
        [roles.PRACTITIONER, roles.TRAINER],
        "Designated nurse, safeguarding children",
    ),
    (
        "trainer@halton.gov.uk",
        "Mark Evans",
        "halton-bc",
        [roles.PRACTITIONER, roles.TRAINER],
        "Learning and improvement officer",
    ),
    ("finance@halton.gov.uk", "Fiona Clarke", "halton-bc", [roles.FINANCE], "Business unit finance officer"),
    ("business@halton.gov.uk", "Beth Morris", "halton-bc", [roles.BUSINESS_UNIT], "Training and development officer"),
    ("dsl@riverside-college.ac.uk", "Jo Barnes", "riverside-college", [roles.PRACTITIONER],
     "Designated safeguarding lead"),
    (
        "manager@bridgewater.nhs.uk",
        "Dev Patel",
        "bridgewater",
        [roles.AGENCY_MANAGER],
        "Named nurse, single point of contact",
    ),
]

VENUES = [
    ("Runcorn Town Hall, Heath Road, Runcorn WA7 5TD", time(9, 30), time(16, 0)),
    ("DCBL Stadium, Lowerhouse Lane, Widnes WA8 7DZ", time(10, 0), time(16, 0)),
]
