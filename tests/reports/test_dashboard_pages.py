"""The compliance dashboards (issue 14 §4, ADR 0038): what the pages show equals figures computed here,
independently (by hand from the files, with scipy's Wilson interval rather than statsmodels'), and each
reader sees only their scope: a leader their own units, an udvalgsmedlem the municipality's aggregates
with no names, units or case numbers."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from scipy.stats import binomtest

from sagstilsyn.core.models import Municipality, Role
from sagstilsyn.reports.models import ComplianceStandard
from tests.factories import make_user
from tests.reports.dashboard_world import CASEWORKERS, R07_Q2, dashboard_world, leader

pytestmark = pytest.mark.django_db
R07 = "investigation_deadline"


def wilson(successes: int, n: int) -> tuple[float, float]:
    interval = binomtest(successes, n).proportion_ci(confidence_level=0.95, method="wilson")
    return interval.low, interval.high


Row = tuple[str, str, str, str, bool]


def by_hand(keep: Callable[[Row], bool] | None = None) -> tuple[int, int]:
    rows = [row for row in R07_Q2 if keep is None or keep(row)]
    return sum(1 for row in rows if row[4]), len(rows)


@pytest.fixture
def municipality(tmp_path: Path) -> Municipality:
    return dashboard_world(tmp_path)


def _row(response: Any, requirement: str) -> Any:
    rows = response.context["rows"]
    return next(row for row in rows if row.requirement == requirement)


def test_the_overview_shows_the_figures_computed_by_hand(client: Client, municipality: Municipality) -> None:
    client.force_login(make_user(municipality, Role.CENTRE_LAWYER, username="jurist"))
    response = client.get("/rapporter/", {"periode": "2025Q2"})
    assert response.status_code == 200
    row = _row(response, R07)
    successes, n = by_hand()
    low, high = wilson(successes, n)
    figure = row.data.figure
    assert (figure.numerator, figure.n) == (successes, n) == (4, 6)
    assert figure.low == pytest.approx(low, abs=1e-9)
    assert figure.high == pytest.approx(high, abs=1e-9)
    # 4/6 against 0/1 in 2025Q1 (SAG-6, met late): no marker, the difference is inside the noise.
    assert row.data.previous.n == 1
    assert not row.data.significant_change
    assert row.data.risk == (high < 0.90)
    html = response.content.decode()
    assert f"[{round(low * 100)}–{round(high * 100)}&nbsp;%]" in html
    # The review pillar: bisidder_informed, nej on SAG-1 and ja on SAG-2, SAG-5, SAG-8.
    review = _row(response, "monthly_case_review.bisidder_informed")
    cell = review.reviews[0].cell
    assert (cell.figure.numerator, cell.figure.n) == (3, 4)
    assert cell.low_n
    assert cell.light is not None
    assert cell.light.label in html
    assert "få sager" in html


def test_the_overview_downloads_as_excel(client: Client, municipality: Municipality) -> None:
    client.force_login(make_user(municipality, Role.CENTRE_LAWYER, username="jurist"))
    response = client.get("/rapporter/", {"periode": "2025Q2", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row and row[0] == "Krav")
    line = next(row for row in rows if row and row[0] == R07)
    found = dict(zip(header, line, strict=False))
    low, high = wilson(4, 6)
    assert (found["n"], found["Antal i orden"]) == (6, 4)
    assert found["95 %-interval fra (%)"] == round(low * 100, 2)
    assert found["95 %-interval til (%)"] == round(high * 100, 2)


def test_a_leader_sees_their_own_unit_groups_and_caseworkers(
    client: Client, municipality: Municipality
) -> None:
    client.force_login(leader(municipality))
    overview = client.get("/rapporter/", {"periode": "2025Q2"})
    assert [choice.code for choice in overview.context["unit_choices"]] == ["ALL", "BFE-NORD"]
    assert overview.context["unit"] == "BFE-NORD"  # the own unit by default
    assert _row(overview, R07).data.figure.n == 4
    # Another unit in the address is not theirs: the default again.
    assert client.get("/rapporter/", {"periode": "2025Q2", "enhed": "BFE-SYD"}).context["unit"] == "BFE-NORD"

    page = client.get(f"/rapporter/krav/{R07}/", {"periode": "2025Q2"})
    assert page.status_code == 200
    units = [item.key for section in page.context["side_by_side"] for item in section["items"]]
    assert units == ["BFE-NORD"]
    groups = {item.key: item.cell.figure for section in page.context["groups"] for item in section["items"]}

    def nord(row: Row) -> bool:
        return row[1] == "BFE-NORD"

    for group in ("children", "youth"):
        successes, n = by_hand(lambda row, g=group: nord(row) and row[2] == g)  # type: ignore[misc]
        assert (groups[group].numerator, groups[group].n) == (successes, n)
    assert "investigation" not in groups  # SYD's group
    workers = {
        item.label: item.cell.figure for section in page.context["caseworkers"] for item in section["items"]
    }
    for username in ("sb-anna", "sb-bo"):
        successes, n = by_hand(lambda row, u=username: nord(row) and row[3] == u)  # type: ignore[misc]
        name = " ".join(CASEWORKERS[username])
        assert (workers[name].numerator, workers[name].n) == (successes, n)
    assert "Carl Christensen" not in page.content.decode()  # SYD's caseworker
    assert "Anna Andersen" in page.content.decode()


def test_the_trend_has_eight_quarters_and_the_forest_plot_keeps_the_units_by_name(
    client: Client, municipality: Municipality
) -> None:
    client.force_login(make_user(municipality, Role.CENTRE_LAWYER, username="jurist"))
    page = client.get(f"/rapporter/krav/{R07}/", {"periode": "2025Q2", "enhed": "ALL"})
    trend = page.context["trend"][0]
    assert [point.period.label for point in trend["points"]][-2:] == ["2025Q1", "2025Q2"]
    assert len(trend["points"]) == 8
    html = page.content.decode()
    assert html.count('role="img"') == 2  # the trend and the forest plot, each with a table beside
    assert '<title id="trend-data-title">' in html
    assert '<desc id="trend-data-desc">' in html
    forest = page.context["side_by_side"][0]
    assert [item.key for item in forest["items"]] == ["BFE-NORD", "BFE-SYD"]  # by name, not by share
    syd = forest["items"][1].cell.figure
    assert (syd.numerator, syd.n) == (2, 2)
    assert page.context["caseworkers"] == []  # the whole municipality: choose a unit first


def test_a_committee_member_sees_the_municipalitys_aggregates_only(
    client: Client, municipality: Municipality
) -> None:
    client.force_login(make_user(municipality, Role.COMMITTEE_MEMBER, username="udvalg"))
    overview = client.get("/rapporter/", {"periode": "2025Q2", "enhed": "BFE-NORD"})
    assert overview.status_code == 200
    assert [choice.code for choice in overview.context["unit_choices"]] == ["ALL"]
    assert overview.context["unit"] == "ALL"
    assert _row(overview, R07).data.figure.n == 6
    page = client.get(f"/rapporter/krav/{R07}/", {"periode": "2025Q2", "enhed": "BFE-NORD"})
    assert page.context["side_by_side"] == []
    assert page.context["caseworkers"] == []
    assert page.context["groups"] == []
    for response in (overview, page, client.get("/")):
        html = response.content.decode()
        for secret in ("SAG-", "Andersen", "Bertelsen", "Christensen", "sb-anna", "Enheden BFE-NORD"):
            assert secret not in html, secret
    assert "Sagsbehandlere" not in page.content.decode()
    for table in ("sagsbehandlere", "grupper", "enheder"):
        download = client.get(
            f"/rapporter/krav/{R07}/", {"periode": "2025Q2", "format": "xlsx", "tabel": table}
        )
        assert download.status_code == 404


def test_the_committee_members_start_page_shows_the_latest_quarter_with_intervals(
    client: Client, municipality: Municipality
) -> None:
    client.force_login(make_user(municipality, Role.COMMITTEE_MEMBER, username="udvalg"))
    response = client.get("/")
    compliance = response.context["compliance"]
    assert compliance["period"].kind == "quarter"
    html = response.content.decode()
    assert "Lovoverholdelse i kommunen" in html
    assert "95 %-interval" in html
    # A leader's start page has no such section.
    client.force_login(leader(municipality))
    assert "compliance" not in client.get("/").context


def test_the_administrator_sets_the_target(client: Client, municipality: Municipality) -> None:
    administrator = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    client.force_login(administrator)
    refused = client.post("/rapporter/maalsaetning/", {"maal": "50", "nedre": "60"})
    assert refused.status_code == 400
    assert "Nedre tærskel" in refused.content.decode()
    assert client.post("/rapporter/maalsaetning/", {"maal": "95", "nedre": "70"}).status_code == 302
    client.force_login(make_user(municipality, Role.CENTRE_LAWYER, username="jurist"))
    overview = client.get("/rapporter/", {"periode": "2025Q2"})
    assert overview.context["standard"].target == pytest.approx(0.95)


ACROSS_THE_LAW_CHANGE = """event_id;case_id;child_id;unit;type;at
L1;SAG-20;B20;BFE-NORD;need_noticed;2023-10-05
L2;SAG-20;B20;BFE-NORD;investigation_completed;2024-01-20
L3;SAG-21;B21;BFE-NORD;need_noticed;2024-01-10
L4;SAG-21;B21;BFE-NORD;investigation_completed;2024-03-01
"""


def test_the_trend_says_not_comparable_across_the_law_change(
    client: Client, municipality: Municipality, tmp_path: Path
) -> None:
    # SAG-20 is due in 2024Q1 under serviceloven (triggered in 2023), SAG-21 in 2024Q2 under barnets lov.
    events = tmp_path / "lovskifte.csv"
    events.write_text(ACROSS_THE_LAW_CHANGE, encoding="utf-8")
    call_command("import", "events", str(events), stdout=io.StringIO(), stderr=io.StringIO())
    client.force_login(make_user(municipality, Role.CENTRE_LAWYER, username="jurist"))
    page = client.get(f"/rapporter/krav/{R07}/", {"periode": "2024Q2", "enhed": "ALL"})
    points = {point.period.label: point.cell for point in page.context["trend"][0]["points"]}
    assert points["2024Q1"] is not None
    assert points["2024Q2"] is not None
    assert not points["2024Q2"].comparable
    assert points["2024Q2"].change is None
    assert "Ikke sammenlignelig" in page.content.decode()


def test_a_target_that_is_no_number_is_named_with_its_field_and_value(
    client: Client, municipality: Municipality
) -> None:
    client.force_login(make_user(municipality, Role.ADMINISTRATOR, username="admin"))

    refused = client.post("/rapporter/maalsaetning/", {"maal": "halvfems", "nedre": "inf"})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Målsætning: «halvfems» er ikke et tal i procent (fx 90)" in html
    assert "Nedre tærskel: «inf» er ikke et tal i procent (fx 60)" in html
    assert not ComplianceStandard.objects.exists()
