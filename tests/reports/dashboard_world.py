"""A small municipality for the dashboard tests: an events file and a reviews file, written as an outsider
would and imported through the import commands, and the figures a person works out by hand from them.

investigation_deadline (R07): need_noticed + 4 months, met by investigation_completed. Judged today (after
2025): SAG-1 on time, SAG-2 late, SAG-3 never met (overdue), SAG-4 on time (NORD); SAG-5, SAG-8 on time
(SYD); SAG-6 is due in 2025Q1 and met late."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from sagstilsyn.core.models import Municipality, Role, Unit, User
from sagstilsyn.core.services.organisation import role_assign, user_create
from tests.factories import make_municipality, make_unit, make_user

EVENTS = """event_id;case_id;child_id;unit;group;caseworker;type;at
E1;SAG-1;B1;BFE-NORD;children;sb-anna;need_noticed;2025-01-10
E2;SAG-1;B1;BFE-NORD;children;sb-anna;investigation_completed;2025-05-02
E3;SAG-2;B2;BFE-NORD;children;sb-anna;need_noticed;2025-01-20
E5;SAG-2;B2;BFE-NORD;children;sb-anna;investigation_completed;2025-06-01
E6;SAG-3;B3;BFE-NORD;youth;sb-bo;need_noticed;2025-02-03
E7;SAG-4;B4;BFE-NORD;youth;sb-anna;need_noticed;2024-12-01
E8;SAG-4;B4;BFE-NORD;youth;sb-anna;investigation_completed;2025-03-01
E9;SAG-5;B5;BFE-SYD;investigation;sb-carl;need_noticed;2025-02-14
E10;SAG-5;B5;BFE-SYD;investigation;sb-carl;investigation_completed;2025-06-10
E11;SAG-6;B6;BFE-SYD;investigation;sb-carl;need_noticed;2024-11-15
E12;SAG-6;B6;BFE-SYD;investigation;sb-carl;investigation_completed;2025-04-01
E13;SAG-8;B8;BFE-SYD;investigation;sb-carl;need_noticed;2025-02-20
E14;SAG-8;B8;BFE-SYD;investigation;sb-carl;investigation_completed;2025-06-18
"""
REVIEWS = (
    "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,question,answer,note\n"
    """R1,monthly_case_review,1,SAG-1,koordinator,1,2025-04-10,bisidder_informed,nej,Ikke vejledt
R2,monthly_case_review,1,SAG-2,koordinator,1,2025-04-12,bisidder_informed,ja,
R4,monthly_case_review,1,SAG-5,koordinator,1,2025-05-05,bisidder_informed,ja,
R8,monthly_case_review,1,SAG-8,koordinator,1,2025-06-05,bisidder_informed,ja,
"""
)

#: R07 in 2025Q2 by hand: (case, unit, group, caseworker, met on time).
R07_Q2 = [
    ("SAG-1", "BFE-NORD", "children", "sb-anna", True),
    ("SAG-2", "BFE-NORD", "children", "sb-anna", False),
    ("SAG-3", "BFE-NORD", "youth", "sb-bo", False),
    ("SAG-4", "BFE-NORD", "youth", "sb-anna", True),
    ("SAG-5", "BFE-SYD", "investigation", "sb-carl", True),
    ("SAG-8", "BFE-SYD", "investigation", "sb-carl", True),
]
#: The caseworkers' full names, which leaders see and udvalgsmedlemmer never.
CASEWORKERS = {
    "sb-anna": ("Anna", "Andersen"),
    "sb-bo": ("Bo", "Bertelsen"),
    "sb-carl": ("Carl", "Christensen"),
}


def dashboard_world(tmp_path: Path) -> Municipality:
    municipality = make_municipality()
    units = {code: make_unit(municipality, code) for code in ("BFE-NORD", "BFE-SYD")}
    for username, (first, last) in CASEWORKERS.items():
        user = user_create(
            municipality=municipality, username=username, first_name=first, last_name=last, password=None
        )
        role_assign(
            user=user, role=Role.CASEWORKER, unit=units["BFE-SYD" if username == "sb-carl" else "BFE-NORD"]
        )
    make_user(municipality, Role.COORDINATOR, units["BFE-NORD"], username="koordinator")
    events = tmp_path / "haendelser.csv"
    events.write_text(EVENTS, encoding="utf-8")
    reviews = tmp_path / "gennemgange.csv"
    reviews.write_text(REVIEWS, encoding="utf-8")
    quiet = io.StringIO()
    call_command("import", "events", str(events), stdout=quiet, stderr=quiet)
    call_command("import", "reviews", str(reviews), stdout=quiet, stderr=quiet)
    return municipality


def leader(municipality: Municipality, unit: str = "BFE-NORD", username: str = "leder") -> User:
    return make_user(
        municipality,
        Role.DEPARTMENT_LEADER,
        Unit.objects.get(municipality=municipality, code=unit),
        username=username,
    )
