"""On the demo: the leader's dashboard and the committee report show what the stored obligations and
reviews hold, counted here independently (issue 14, "Done when")."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoDbBlocker

from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.models import Municipality, RoleAssignment, User
from sagstilsyn.demo.load import demo_load
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reports.committee.content import committee_content
from sagstilsyn.reports.compliance.composite import COMPOSITE, CORE_RULES
from sagstilsyn.reports.standards import standard_of
from sagstilsyn.reviews.models import Answer, ReviewLevel, ReviewStatus
from sagstilsyn.reviews.programmes.periods import period_parse

AS_OF = date(2024, 5, 20)
QUARTER = period_parse("2024Q1")


@pytest.fixture(scope="module")
def demo(module_db: DjangoDbBlocker) -> None:
    """A small demo, loaded once for the module and rolled back after it (every test here shares it)."""
    with module_db.unblock():
        demo_load(seed=11, children=300, as_of=AS_OF)


def _data_by_hand(**where: object) -> Counter[str]:
    """Per rule: n and met of the obligations due in the quarter, not applicable left out (every event
    is known on the as-of day used, today)."""
    counts: Counter[str] = Counter()
    rows = Obligation.objects.filter(due_day__gte=QUARTER.start, due_day__lte=QUARTER.end, **where).exclude(
        status=ObligationStatus.NOT_APPLICABLE
    )
    for rule_id, status in rows.values_list("rule_id", "status"):
        counts[f"{rule_id}/n"] += 1
        counts[f"{rule_id}/met"] += status == ObligationStatus.MET
    return counts


def _composite_by_hand(**where: object) -> Counter[str]:
    """The per-child composite: children with a core obligation due in the quarter, and those of them
    whose every such obligation was met on time."""
    met_by_child: dict[int, bool] = {}
    rows = Obligation.objects.filter(
        due_day__gte=QUARTER.start, due_day__lte=QUARTER.end, rule_id__in=CORE_RULES, **where
    ).exclude(status=ObligationStatus.NOT_APPLICABLE)
    for child, status in rows.values_list("case__child_id", "status"):
        met_by_child[child] = met_by_child.get(child, True) and status == ObligationStatus.MET
    return Counter({f"{COMPOSITE}/n": len(met_by_child), f"{COMPOSITE}/met": sum(met_by_child.values())})


def _monthly_answers_by_hand(unit_id: int) -> Counter[str]:
    """Per monthly-review question: applicable level-1 answers and Ja (no level 2 reads the monthly one)."""
    counts: Counter[str] = Counter()
    answers = Answer.objects.filter(
        review__case__unit_id=unit_id,
        review__level=ReviewLevel.FIRST,
        review__status__in=(ReviewStatus.SUBMITTED, ReviewStatus.CLOSED),
        review__reviewed_on__gte=QUARTER.start,
        review__reviewed_on__lte=QUARTER.end,
        review__calibration_case__isnull=True,
        review__questionnaire="monthly_case_review",
    ).exclude(review__sample_row__hand_picked=True)
    for question, answer in answers.values_list("question", "answer"):
        if answer == "ikke_relevant":
            continue
        counts[f"monthly_case_review.{question}/n"] += 1
        counts[f"monthly_case_review.{question}/met"] += answer == "ja"
    return counts


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_leaders_dashboard_equals_the_stored_obligations_and_reviews(client: Client) -> None:
    leader = User.objects.get(username="afdelingsleder")
    assignment = RoleAssignment.objects.filter(user=leader).exclude(unit=None).first()
    assert assignment is not None
    unit = assignment.unit
    assert unit is not None
    client.force_login(leader)

    response = client.get(f"/rapporter/?periode={QUARTER.label}&enhed={unit.code}&format=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header_row = next(
        i for i, row in enumerate(sheet.iter_rows(values_only=True), start=1) if row and row[0] == "Krav"
    )
    headers = [c.value for c in sheet[header_row]]
    shown: Counter[str] = Counter()
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        line: dict[object, Any] = dict(zip(headers, row, strict=False))
        shown[f"{line['Krav']}/n"] += int(line["n"])
        shown[f"{line['Krav']}/met"] += int(line["Antal i orden"])
    data = _data_by_hand(case__unit=unit)
    reviews = _monthly_answers_by_hand(unit.pk)
    assert data
    assert reviews
    assert {k: v for k, v in shown.items() if "." not in k and COMPOSITE not in k} == dict(data)
    composite = _composite_by_hand(case__unit=unit)
    assert composite[f"{COMPOSITE}/n"] > 0
    assert {k: v for k, v in shown.items() if COMPOSITE in k} == dict(composite)
    assert {k: v for k, v in shown.items() if k.startswith("monthly_case_review.")} == dict(reviews)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_committee_reports_municipality_rows_equal_the_stored_obligations() -> None:
    municipality = Municipality.objects.get()
    content = committee_content(
        municipality=municipality, period=QUARTER, as_of=date.today(), standard=standard_of(municipality)
    )
    shown: Counter[str] = Counter()
    for table in content["tables"]:
        if table["rule"] is None:
            continue
        whole = next(row for row in table["rows"] if row["unit"] == "ALL")
        if "data" in whole:
            shown[f"{table['rule']}/n"] += whole["data"]["n"]
            shown[f"{table['rule']}/met"] += whole["data"]["numerator"]
    data = _data_by_hand()
    assert data
    assert {k: v for k, v in shown.items() if COMPOSITE not in k} == dict(data)
    assert {k: v for k, v in shown.items() if COMPOSITE in k} == dict(_composite_by_hand())
