"""The rest of the Pan-Cheshire network, for demo.data: Halton's three neighbours, the agencies that serve all four,
each partnership's own agencies, people, courses and venues, and the masterclasses open to the whole network.

Seed 003 (section 3) names the network: the Pan Cheshire Safeguarding Alliance covers Cheshire East, Cheshire West
and Chester, Halton and Warrington, on Cheshire Constabulary's footprint and four of the Cheshire and Merseyside
ICB's places, and (section 4) names the organisations that work across all four. Seed 004 is Cheshire West and
Chester's business plan, whose priorities its courses follow. The seeds give only Halton's own contact details;
the others' are their councils' websites and a mailbox at their council's domain, and their venues are public
buildings of each borough.
"""

from datetime import time

from courses.models import Course
from people import roles
from people.models import Agency

# The network's name in the header and page titles (the NETWORK_NAME setting, which scripts/run.sh gives the demo).
NAME = "Pan-Cheshire safeguarding training"

# The first partnership (the settings') is Halton: its contact and website (seed 003, section 11).
HALTON = "halton"
HALTON_CONTACT = ("CYPSafeguardingPartnership@halton.gov.uk", "https://www.haltonsafeguarding.co.uk")

# slug, name, contact email, website
PARTNERSHIPS = [
    ("cheshire-west", "Cheshire West and Chester Safeguarding Children Partnership",
     "safeguardingchildrenpartnership@cheshirewestandchester.gov.uk", "https://www.cheshirewestandchester.gov.uk"),
    ("cheshire-east", "Cheshire East Safeguarding Children's Partnership",
     "safeguardingchildrenspartnership@cheshireeast.gov.uk", "https://www.cheshireeast.gov.uk"),
    ("warrington", "Warrington Safeguarding Partnership",
     "safeguardingpartnership@warrington.gov.uk", "https://www.warrington.gov.uk"),
]
EVERYONE = [HALTON] + [slug for slug, *_ in PARTNERSHIPS]

# Halton's agencies (demo.partnership) that serve more than Halton: the organisations "that work across Cheshire"
# (seed 003, section 4) are members of all four; Bridgewater's community services cover Warrington too.
SHARED = {
    "cheshire-police": EVERYONE,
    "cm-icb": EVERYONE,
    "cheshire-fire": EVERYONE,
    "probation": EVERYONE,
    "bridgewater": [HALTON, "warrington"],
}

S, R, SCHOOL, V = (Agency.Kind.STATUTORY_PARTNER, Agency.Kind.RELEVANT_AGENCY, Agency.Kind.SCHOOL,
                   Agency.Kind.VOLUNTARY)
# Each partnership's own agencies: code, name, kind, billing contact, work email domains, partnerships
AGENCIES = [
    ("cwac", "Cheshire West and Chester Council", S, "Finance, Chester", "cheshirewestandchester.gov.uk",
     ["cheshire-west"]),
    ("countess-of-chester", "Countess of Chester Hospital NHS Foundation Trust", R, "Finance", "coch.nhs.uk nhs.net",
     ["cheshire-west"]),
    ("cwp", "Cheshire and Wirral Partnership NHS Foundation Trust", R, "Finance", "cwp.nhs.uk nhs.net",
     ["cheshire-west", "cheshire-east"]),
    ("cwac-schools", "Cheshire West and Chester schools", SCHOOL, "School business managers", "", ["cheshire-west"]),
    ("cheshire-east-council", "Cheshire East Council", S, "Finance, Crewe", "cheshireeast.gov.uk", ["cheshire-east"]),
    ("mid-cheshire-hospitals", "Mid Cheshire Hospitals NHS Foundation Trust", R, "Finance", "mcht.nhs.uk nhs.net",
     ["cheshire-east"]),
    ("cheshire-east-schools", "Cheshire East schools", SCHOOL, "School business managers", "", ["cheshire-east"]),
    ("warrington-bc", "Warrington Borough Council", S, "Finance, Warrington", "warrington.gov.uk", ["warrington"]),
    ("whh", "Warrington and Halton Teaching Hospitals NHS Foundation Trust", R, "Finance", "whh.nhs.uk nhs.net",
     ["warrington", HALTON]),
    ("warrington-schools", "Warrington primary and secondary schools", SCHOOL, "School business managers", "",
     ["warrington"]),
    ("warrington-voluntary-action", "Warrington Voluntary Action", V, "Office manager", "", ["warrington"]),
]

# email, name, agency, roles, job title, home partnership (None: the first), partnerships the scoped roles are for
PEOPLE = [
    ("business@warrington.gov.uk", "Rachel Kerr", "warrington-bc", [roles.BUSINESS_UNIT],
     "Safeguarding partnership business manager", "warrington", ["warrington"]),
    ("finance@warrington.gov.uk", "Owen Price", "warrington-bc", [roles.FINANCE], "Partnership finance officer",
     "warrington", ["warrington"]),
    ("trainer@warrington.gov.uk", "Nadia Hussain", "warrington-bc", [roles.PRACTITIONER, roles.TRAINER],
     "Trauma informed practice lead", "warrington", ["warrington"]),
    ("practitioner@warrington.gov.uk", "Chris Doyle", "warrington-bc", [roles.PRACTITIONER], "Social worker",
     "warrington", []),
    ("business@cheshirewestandchester.gov.uk", "Gemma Lloyd", "cwac", [roles.BUSINESS_UNIT],
     "Safeguarding children partnership business manager", "cheshire-west", ["cheshire-west"]),
    ("trainer@cheshirewestandchester.gov.uk", "Paul Ashworth", "cwac", [roles.PRACTITIONER, roles.TRAINER],
     "Workforce development officer", "cheshire-west", ["cheshire-west"]),
    ("practitioner@cheshirewestandchester.gov.uk", "Amy Roberts", "cwac", [roles.PRACTITIONER],
     "Early help practitioner", "cheshire-west", []),
    ("business@cheshireeast.gov.uk", "Simon Firth", "cheshire-east-council", [roles.BUSINESS_UNIT],
     "Safeguarding children's partnership business manager", "cheshire-east", ["cheshire-east"]),
    ("trainer@cheshireeast.gov.uk", "Karen Mills", "cheshire-east-council", [roles.PRACTITIONER, roles.TRAINER],
     "Safeguarding children training officer", "cheshire-east", ["cheshire-east"]),
    ("practitioner@cheshireeast.gov.uk", "Lucy Grant", "cheshire-east-council", [roles.PRACTITIONER],
     "Family support worker", "cheshire-east", []),
    # Cheshire Constabulary serves all four: a trainer for three of them, and officers based in two.
    ("exploitation@cheshire.police.uk", "Ian Corbett", "cheshire-police", [roles.PRACTITIONER, roles.TRAINER],
     "Detective inspector, child exploitation", "cheshire-west", ["cheshire-west", "cheshire-east", "warrington"]),
    ("constable@cheshire.police.uk", "Dan Whitfield", "cheshire-police", [roles.PRACTITIONER],
     "Police constable, Warrington local policing unit", "warrington", []),
    ("detective@cheshire.police.uk", "Kate Lomax", "cheshire-police", [roles.PRACTITIONER],
     "Detective constable, Halton child protection", HALTON, []),
    ("network@cheshireandmerseyside.nhs.uk", "Helen Brooks", "cm-icb", [roles.NETWORK_LEAD],
     "Pan-Cheshire safeguarding learning lead", None, []),
]

B, MID, M = Course.Level.BASIC, Course.Level.INTERMEDIATE, Course.Level.MASTERCLASS
# title, level, theme, minutes, summary, delivering partnership. The masterclasses are open to the network.
COURSES = [
    ("Complex Trio: Domestic Abuse, Substance Misuse and Parental Mental Health", MID, "Parental factors", 390,
     "The partnership's re-launched Complex Trio training: a Think Family response where domestic abuse, "
     "substance misuse and mental health problems co-exist.", "cheshire-west"),
    ("Hidden Harm and Think Family", B, "Parental factors", 180,
     "The Hidden Harm protocol in practice: children living with parental substance misuse, domestic abuse, "
     "learning disability or mental ill health, and young carers.", "cheshire-west"),
    ("Operation Encompass for Schools", B, "Domestic abuse", 90,
     "How a school hears of a domestic abuse incident before the next school day, and gives the child swift "
     "emotional support.", "cheshire-west"),
    ("Exploitation and the Pan Cheshire All Age Strategy", M, "Exploitation", 360,
     "A masterclass for the whole network: early identification, high quality support, stopping perpetrators and "
     "reducing barriers under the Pan Cheshire All Age Exploitation Strategy.", "cheshire-west"),
    ("Graded Care Profile 2", MID, "Neglect", 390,
     "Assessing the quality of care a child receives with the NSPCC's Graded Care Profile 2, and using it in "
     "plans.", "cheshire-east"),
    ("Safeguarding Disabled Children", B, "Disability", 180,
     "Why disabled children are at greater risk of abuse, and how to hear their voice.", "cheshire-east"),
    ("Children Missing Education", B, "Education", 90,
     "When a child missing from education is a safeguarding concern, and the referral route.", "cheshire-east"),
    ("Professional Challenge and Escalation across Pan Cheshire", M, "Professional resolution", 180,
     "A masterclass for the whole network on the Pan Cheshire escalation protocol: resolving professional "
     "disagreement before a child is harmed.", "cheshire-east"),
    ("Trauma Informed Practice", MID, "Trauma informed practice", 390,
     "After the awareness course: trauma-informed conversations, plans and supervision.", "warrington"),
    ("Bruising in Non-Mobile Babies", B, "Physical abuse", 90,
     "The Pan Cheshire bruising protocol: why any bruise on a baby who is not yet mobile needs a referral.",
     "warrington"),
    ("Private Fostering Awareness", B, "Private fostering", 120,
     "The Pan Cheshire private fostering package: recognising an arrangement and telling the local authority.",
     "warrington"),
    ("Trauma and Safeguarding Vulnerability", M, "Trauma informed practice", 360,
     "A masterclass for the whole network, created in Warrington: how the trauma of adverse childhood experiences "
     "shapes thoughts, behaviours and relationships, and safeguarding vulnerability.", "warrington"),
]

# The masterclass that keeps places for its neighbour: Warrington's, for Halton's people, until two weeks before.
RESERVED = ("Trauma and Safeguarding Vulnerability", HALTON, 10)

VENUES = {
    "cheshire-west": [("Chester Town Hall, Northgate Street, Chester CH1 2HJ", time(9, 30)),
                      ("Wyvern House, The Drumber, Winsford CW7 1AH", time(10, 0))],
    "cheshire-east": [("Macclesfield Town Hall, Market Place, Macclesfield SK10 1EA", time(9, 30)),
                      ("Delamere House, Delamere Street, Crewe CW1 2JZ", time(10, 0))],
    "warrington": [("Warrington Town Hall, Sankey Street, Warrington WA1 1UH", time(9, 30)),
                   ("The Halliwell Jones Stadium, Mike Gregory Way, Warrington WA2 7NE", time(10, 0))],
}

# Each partnership's trainer, in its own courses' pools; the police's exploitation lead co-delivers the masterclasses.
TRAINERS = {
    "cheshire-west": "trainer@cheshirewestandchester.gov.uk",
    "cheshire-east": "trainer@cheshireeast.gov.uk",
    "warrington": "trainer@warrington.gov.uk",
}
MASTERCLASS_TRAINER = "exploitation@cheshire.police.uk"

# Places booked across the network: people's own partnership's sessions and the masterclasses (the first session
# to come of each course). The Halton officer takes one of the places Warrington's masterclass keeps for Halton.
PLACES = [
    ("practitioner@warrington.gov.uk", ["Trauma Informed Practice", "Trauma and Safeguarding Vulnerability"]),
    ("constable@cheshire.police.uk", ["Bruising in Non-Mobile Babies",
                                      "Exploitation and the Pan Cheshire All Age Strategy"]),
    ("detective@cheshire.police.uk", ["Trauma and Safeguarding Vulnerability"]),
    ("practitioner@cheshirewestandchester.gov.uk", [
        "Complex Trio: Domestic Abuse, Substance Misuse and Parental Mental Health",
        "Professional Challenge and Escalation across Pan Cheshire"]),
    ("practitioner@cheshireeast.gov.uk", ["Graded Care Profile 2",
                                          "Exploitation and the Pan Cheshire All Age Strategy"]),
]
