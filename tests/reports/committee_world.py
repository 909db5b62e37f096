"""A small municipality for the committee report's tests, written as an outsider would (an events file and
a reviews file, imported through the import commands), with its figures known by construction.

investigation_deadline (need_noticed + 4 months, met by investigation_completed):
- 2025Q2 (need noticed in January and February 2025): BFE-NORD 20 cases, 15 on time; BFE-SYD 12 cases,
  6 on time; BFE-VEST 3 cases, 2 on time (too few: suppressed, and BFE-SYD with it).
- 2025Q1 (need noticed in October and November 2024): BFE-NORD 20 cases, 5 on time (the change to 75 % is
  significant); BFE-SYD 12 cases, 6 on time (no change).
Late cases are completed 20 days after the deadline; the rest on time, 10 days before it.

Reviews (monthly_case_review, question child_conversation) in 2025Q2 at level 1 of the NORD cases: Ja for
the first 12, Nej for the next 8; at level 2 the first 6 are re-read, 5 Ja and 1 Nej.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from django.core.management import call_command

from sagstilsyn.core.models import Municipality, Role
from tests.factories import make_municipality, make_unit, make_user

AS_OF = date(2025, 9, 30)
QUESTIONNAIRE, QUESTION = "monthly_case_review,1", "child_conversation"
#: (unit, first day need noticed, cases, on time) per quarter.
PLAN = {
    "2025Q2": (
        ("BFE-NORD", date(2025, 1, 6), 20, 15),
        ("BFE-SYD", date(2025, 1, 8), 12, 6),
        ("BFE-VEST", date(2025, 1, 9), 3, 2),
    ),
    "2025Q1": (("BFE-NORD", date(2024, 10, 6), 20, 5), ("BFE-SYD", date(2024, 10, 8), 12, 6)),
}
EXPECTED = {
    "2025Q2": {"BFE-NORD": (20, 15), "BFE-SYD": (12, 6), "BFE-VEST": (3, 2), "ALL": (35, 23)},
    "2025Q1": {"BFE-NORD": (20, 5), "BFE-SYD": (12, 6), "ALL": (32, 11)},
}
#: child_conversation in 2025Q2, by level: (n, Ja) for BFE-NORD (the only unit reviewed).
REVIEW_LEVEL1 = (20, 12)
REVIEW_FINAL = (20, 11)  # the level-2 Nej replaces one level-1 Ja
REVIEW_LEVEL2 = (6, 5)


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def events_text() -> str:
    lines = ["event_id;case_id;child_id;unit;type;at"]
    number = 0
    for quarter, plans in sorted(PLAN.items()):
        for unit, first, cases, on_time in plans:
            for index in range(cases):
                number += 1
                noticed = first + timedelta(days=index)
                due = _months_later(noticed, 4)
                done = due - timedelta(days=10) if index < on_time else due + timedelta(days=20)
                ref = f"SAG-{quarter}-{unit}-{index}"
                lines.append(f"E{number}a;{ref};B{number};{unit};need_noticed;{noticed.isoformat()}")
                lines.append(f"E{number}b;{ref};B{number};{unit};investigation_completed;{done.isoformat()}")
    return "\n".join(lines) + "\n"


def reviews_text(*, extra_level2: bool = False) -> str:
    head = (
        "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,question,answer,"
        "note\n"
    )
    lines = []
    for index in range(20):
        answer, note = ("ja", "") if index < 12 else ("nej", "Ingen samtale")
        ref = f"SAG-2025Q2-BFE-NORD-{index}"
        day = f"2025-04-{10 + index % 15}"
        lines.append(f"R{index},{QUESTIONNAIRE},{ref},koordinator,1,{day},{QUESTION},{answer},{note}")
    for index in range(6):
        answer, note = ("ja", "") if index < 5 else ("nej", "Ingen samtale")
        ref = f"SAG-2025Q2-BFE-NORD-{index}"
        lines.append(
            f"L{index},{QUESTIONNAIRE},{ref},jurist,2,2025-05-{10 + index},{QUESTION},{answer},{note}"
        )
    if extra_level2:
        ref = "SAG-2025Q2-BFE-NORD-7"
        lines.append(
            f"L7,monthly_case_review,1,{ref},jurist,2,2025-05-20,child_conversation,nej,Ingen samtale"
        )
    return head + "\n".join(lines) + "\n"


def import_file(tmp_path: Path, kind: str, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    quiet = io.StringIO()
    call_command("import", kind, str(path), stdout=quiet, stderr=quiet)


def committee_world(tmp_path: Path) -> Municipality:
    municipality = make_municipality()
    for code in ("BFE-NORD", "BFE-SYD", "BFE-VEST"):
        make_unit(municipality, code)
    make_user(municipality, Role.COORDINATOR, username="koordinator")
    make_user(municipality, Role.CENTRAL_LAWYER, username="jurist")
    import_file(tmp_path, "events", "haendelser.csv", events_text())
    import_file(tmp_path, "reviews", "gennemgange.csv", reviews_text())
    return municipality
