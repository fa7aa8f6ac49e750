"""The learning reviews the partnership's 2024/25 annual report describes (seed 003, section 8), with
recommendations answered by the demo courses and resources, for the tracker on the demo data.
Runs once: not when the reviews are already there."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from courses.models import Course
from people.models import Agency, Person
from resources.models import Resource
from reviews import services
from reviews.models import AgencyHeadcount, LearningReview

# (kind, title, reference, date, themes, summary, [(text, lead, other owners, days from now to due, status,
#  courses, resources)])
REVIEWS = [
    ("learning_circle", "Learning circle for Sibling Group L", "LC-2024-01", date(2024, 5, 14),
     ["Neglect", "Professional resolution"],
     "Home conditions deteriorated over two years while each agency saw only its own part.",
     [("Practitioners use the Home Conditions and Neglect screening tools at every visit where neglect is "
       "suspected.", "halton-bc", ["bridgewater"], -20, "in_progress",
       ["Understanding Neglect and Local Procedures"], []),
      ("Professionals escalate through the professional resolution process when a plan does not change the "
       "child's experience.", "cm-icb", ["halton-bc", "bridgewater"], 21, "open", [],
       ["Professional Resolution: 7-minute guide"])]),
    ("learning_circle", "Learning circle for Child M", "LC-2024-02", date(2024, 7, 9),
     ["Domestic abuse", "Neglect"],
     "Domestic abuse in the household was known to police but not to the health visitor.",
     [("Police domestic abuse notifications reach the health visiting service within one working day.",
       "cheshire-police", ["bridgewater"], 75, "in_progress", ["Domestic Abuse Awareness"], []),
      ("Practitioners complete the DASH risk assessment and refer to MARAC where the threshold is met.",
       "halton-bc", ["cheshire-police"], 120, "open",
       ["DASH (2009-2024) Risk Identification, Assessment and Management Model"], [])]),
    ("rapid_review", "Rapid review for Child N", "RR-2024-01", date(2024, 8, 1),
     ["Neglect"],
     "The national panel agreed on 3 September 2024 that no local review was needed; water safety guidance "
     "for hot tubs and baths goes to professionals and parents.",
     [("Health visitors and early years staff share the water safety advice for the home with every family "
       "with a child under four.", "bridgewater", ["cm-icb"], 10, "in_progress", [],
       ["ICON: babies cry, you can cope"]),
      ("Early identification of risk includes low school attendance as a sign of educational neglect.",
       "halton-bc", ["halton-schools"], -45, "evidenced", ["Educational Neglect"], [])]),
    ("learning_circle", "Learning circle for Child O", "LC-2024-03", date(2024, 10, 22),
     ["Exploitation", "Strategy meetings"],
     "A young person missing from home repeatedly was drawn into criminal exploitation.",
     [("Every return home interview asks about exploitation and is shared with the contextual safeguarding "
       "team.", "halton-bc", ["cheshire-police", "youth-justice"], 45, "open",
       ["Missing From Home", "Child Exploitation Awareness"], ["Strategy Meeting SWAY"])]),
    ("multi_agency_audit", "Thematic audit for Sibling Group P", "MAA-2024-04", date(2024, 11, 19),
     ["Neglect", "Professional resolution"],
     "Strategy meetings and the partnership's response to neglect, audited across agencies.",
     [("Strategy meetings include health and education every time.", "halton-bc",
       ["bridgewater", "cheshire-police"], 150, "in_progress", [], ["Strategy Meeting SWAY", "Section 47 SWAY"])]),
    ("local_reflective_review", "Local reflective review for Sibling Group Q", "LRR-2025-01", date(2025, 2, 11),
     ["Domestic abuse", "Exploitation", "Strategy meetings"],
     "Siblings living with domestic abuse, one of them exploited outside the home.",
     [("Section 47 enquiries follow the hallmarks in the Section 47 SWAY.", "cheshire-police",
       ["halton-bc", "bridgewater"], 200, "open", ["Non-Fatal Strangulation and Suffocation"],
       ["Section 47 SWAY"])]),
]

HEADCOUNTS = {"halton-bc": 900, "bridgewater": 650, "cheshire-police": 400, "cm-icb": 60, "halton-schools": 1200,
              "youth-justice": 40}


def load_reviews(*, now: datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    services.tracker_settings()  # the amber threshold's row, for the business unit to change in the admin
    if LearningReview.objects.filter(title=REVIEWS[0][1]).exists():
        return
    agencies = {a.code: a for a in Agency.objects.all()}
    courses = {c.title: c for c in Course.objects.all()}
    resources = {r.title: r for r in Resource.objects.all()}
    business = Person.objects.filter(email="business@halton.gov.uk").first()
    manager = Person.objects.filter(email="manager@bridgewater.nhs.uk").first()
    for code, headcount in HEADCOUNTS.items():
        if code in agencies:
            AgencyHeadcount.objects.update_or_create(agency=agencies[code], defaults={"headcount": headcount})
    for kind, title, reference, day, themes, summary, recs in REVIEWS:
        review = services.create_review(kind=kind, title=title, reference=reference, date=day, themes=themes,
                                        summary=summary, by=business)
        for text, lead, owners, due_in, status, course_titles, resource_titles in recs:
            rec = services.add_recommendation(
                review, text=text, lead_agency=agencies[lead], owner_agencies=[agencies[c] for c in owners],
                due=today + timedelta(days=due_in), by=business,
                courses=[courses[t] for t in course_titles if t in courses],
                resources=[resources[t] for t in resource_titles if t in resources])
            if manager is not None and manager.agency_id in rec.owner_ids():
                services.add_evidence(rec, note="Shared at the safeguarding team meeting and added to supervision "
                                      "prompts.", staff_reached=120, by=manager, now=now - timedelta(days=14))
            if status == "evidenced":  # each owner briefed most of its staff: green on the tracker
                for code in [lead, *owners]:
                    services.add_evidence(rec, note="Attendance data is now part of every early help assessment; "
                                          "staff briefed in team meetings.", staff_reached=HEADCOUNTS[code] * 7 // 10,
                                          agency=agencies[code], by=business)
            if status != "open":
                services.change_recommendation(rec, status=status, by=business)
