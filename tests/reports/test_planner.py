"""The sample-size planner (issue 14 §2): the page's plan and table follow peers.md §6.2; bad input is
named in Danish; the table downloads as Excel."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from sagstilsyn.core.models import Role
from sagstilsyn.reports.planner import TABLE_HEADERS, PlanError, plan_make, plan_table
from tests.factories import make_municipality, make_unit, make_user

#: peers.md §6.2: tolerable deviation rate → n for d = 0, 1, 2, 3 deviations.
PUBLISHED = [[5, 59, 93, 124, 153], [10, 29, 46, 61, 76], [15, 19, 30, 40, 50], [20, 14, 22, 30, 37]]


def test_the_table_is_the_published_one() -> None:
    assert plan_table() == PUBLISHED


def test_a_plan_reads_its_fields() -> None:
    plan = plan_make("5 %", "0", "95")
    assert (plan.size, plan.met) == (59, 95)


@pytest.mark.parametrize(
    ("tolerable", "deviations", "confidence", "message"),
    [
        ("0", "0", "95", "Tålelig afvigelsesrate: skriv et helt tal fra 1 til 50, ikke «0»"),
        ("ti", "0", "95", "Tålelig afvigelsesrate: skriv et helt tal fra 1 til 50, ikke «ti»"),
        ("10", "-1", "95", "Forventede afvigelser: skriv et helt tal fra 0 til 20, ikke «-1»"),
        ("10", "0", "100", "Sikkerhed: skriv et helt tal fra 80 til 99, ikke «100»"),
    ],
)
def test_bad_fields_are_named(tolerable: str, deviations: str, confidence: str, message: str) -> None:
    with pytest.raises(PlanError) as refused:
        plan_make(tolerable, deviations, confidence)
    assert str(refused.value) == message


@pytest.mark.django_db
def test_the_page_plans_and_downloads(client: Client) -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    client.force_login(make_user(municipality, Role.DEPARTMENT_LEADER, unit, username="leder"))
    page = client.get(
        "/rapporter/stikproevestoerrelse/", {"tolerabel": "10", "afvigelser": "1"}
    ).content.decode()
    assert "Gennemgå mindst 46 sager" in page
    assert "Finder I højst 1 afvigelse blandt 46 sager" in page
    assert "mindst 90 % af sagerne" in page
    wrong = client.get("/rapporter/stikproevestoerrelse/", {"tolerabel": "90"}).content.decode()
    assert "Tålelig afvigelsesrate: skriv et helt tal fra 1 til 50, ikke «90»" in wrong
    sheet = load_workbook(
        io.BytesIO(client.get("/rapporter/stikproevestoerrelse/", {"format": "xlsx"}).content)
    ).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(list(TABLE_HEADERS))
    assert rows[header + 1 :] == PUBLISHED
