"""A risk area into a unit action plan with one click, and the plans judged on the figures of their
window: "Mål nået" only when the whole interval clears the target (ADR 0038)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from sagstilsyn.core.models import AuditEvent, Municipality, Unit
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.compliance.figures import unweighted_figure
from sagstilsyn.reports.dashboard.periods import quarter_of
from sagstilsyn.reports.dashboard.selectors import (
    MET,
    NOT_MET,
    ONGOING,
    action_plan_judge,
    action_plans_judged,
)
from sagstilsyn.reports.standards import DEFAULT_STANDARD
from sagstilsyn.reviews.models import ActionPlan
from sagstilsyn.reviews.services.learning import PlanRefused, action_plan_for_requirement
from tests.reports.dashboard_world import dashboard_world, leader

pytestmark = pytest.mark.django_db
R07 = "investigation_deadline"


@pytest.fixture
def municipality(tmp_path: Path) -> Municipality:
    return dashboard_world(tmp_path)


def _post(client: Client, **values: str) -> object:
    data = {"periode": "2025Q2", "enhed": "BFE-NORD", "krav": R07, "soejle": "data", **values}
    return client.post("/rapporter/handleplan/", data)


def test_one_click_turns_a_risk_area_into_a_unit_action_plan(
    client: Client, municipality: Municipality
) -> None:
    client.force_login(leader(municipality))
    page = client.get("/rapporter/", {"periode": "2025Q2"})
    assert "Lav handleplan" in page.content.decode()  # NORD's R07: 2 of 4, interval wholly under 90 %
    response = _post(client)
    assert response.status_code == 302  # type: ignore[attr-defined]
    plan = ActionPlan.objects.get()
    window = quarter_of(today_local())  # the quarter after 2025Q2, but never one already past
    assert (plan.unit.code, plan.requirement, plan.pillar) == ("BFE-NORD", R07, "data")
    assert plan.learning_point is None
    assert plan.questionnaire == ""
    assert plan.question == ""
    assert plan.baseline == pytest.approx(0.5)
    assert plan.target == pytest.approx(DEFAULT_STANDARD.target)
    assert (plan.window_start, plan.window_end) == (window.start, window.end)
    assert "Børnefaglig undersøgelse" in plan.title
    assert AuditEvent.objects.filter(action="action_plan_create", target_id=str(plan.pk)).exists()
    # The dashboard lists it, judged, and downloads the list as Excel.
    download = client.get("/rapporter/", {"enhed": "BFE-NORD", "format": "xlsx", "tabel": "handleplaner"})
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    lines = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(line[1] == plan.title and line[-1] == ONGOING for line in lines), lines
    # The plan list of the reviews app names the rule's title.
    assert "Børnefaglig undersøgelse" in client.get("/handleplaner/").content.decode()


def test_no_plan_for_a_unit_not_led_or_a_requirement_not_at_risk(
    client: Client, municipality: Municipality
) -> None:
    client.force_login(leader(municipality))
    assert _post(client, enhed="BFE-SYD").status_code == 404  # type: ignore[attr-defined]
    client.force_login(leader(municipality, "BFE-SYD", username="leder-syd"))
    response = _post(client, enhed="BFE-SYD")  # SYD: 2 of 2, no risk
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert not ActionPlan.objects.exists()
    assert "ikke et risikoområde" in client.get(response.url).content.decode()  # type: ignore[attr-defined]


def test_the_service_checks_the_requirement(municipality: Municipality) -> None:
    unit = Unit.objects.get(code="BFE-NORD")
    actor = leader(municipality)
    with pytest.raises(PlanRefused, match="Krav"):
        action_plan_for_requirement(
            unit=unit,
            requirement="ikke-et-spørgsmål",
            pillar="review",
            title="T",
            baseline=0.2,
            target=0.9,
            window_start=date(2026, 1, 1),
            window_end=date(2026, 3, 31),
            actor=actor,
        )


def test_a_plan_is_met_only_when_the_interval_clears_its_target() -> None:
    plan = ActionPlan(target=0.85, window_start=date(2026, 1, 1), window_end=date(2026, 3, 31))
    clear = unweighted_figure(requirement=R07, unit="X", pillar="data", n=100, numerator=95)  # low ≈ 0.888
    short = unweighted_figure(requirement=R07, unit="X", pillar="data", n=20, numerator=19)  # low ≈ 0.764
    during, after = date(2026, 2, 1), date(2026, 4, 1)
    assert action_plan_judge(plan, as_of=during, standard=DEFAULT_STANDARD, figure=clear) == MET
    assert action_plan_judge(plan, as_of=during, standard=DEFAULT_STANDARD, figure=short) == ONGOING
    assert action_plan_judge(plan, as_of=after, standard=DEFAULT_STANDARD, figure=short) == NOT_MET
    assert action_plan_judge(plan, as_of=after, standard=DEFAULT_STANDARD, figure=None) == NOT_MET


def test_plans_are_judged_on_the_figures_of_their_window(municipality: Municipality) -> None:
    unit = Unit.objects.get(code="BFE-NORD")
    actor = leader(municipality)
    # NORD's R07 in 2025Q2 is 2 of 4: Wilson 15–85 %. A target of 10 % is cleared, one of 30 % is not.
    plans = [
        action_plan_for_requirement(
            unit=unit,
            requirement=R07,
            pillar="data",
            title=title,
            baseline=baseline,
            target=target,
            window_start=date(2025, 4, 1),
            window_end=date(2025, 6, 30),
            actor=actor,
        )
        for title, baseline, target in (("Lavt mål", 0.05, 0.10), ("Højt mål", 0.2, 0.30))
    ]
    low, high = plans
    judged = {
        item.plan.pk: item
        for item in action_plans_judged(
            municipality=municipality, units=[unit], as_of=date(2025, 7, 15), standard=DEFAULT_STANDARD
        )
    }
    assert judged[low.pk].verdict == MET
    assert judged[high.pk].verdict == NOT_MET
    assert (judged[low.pk].figure.numerator, judged[low.pk].figure.n) == (2, 4)  # type: ignore[union-attr]


def test_the_per_child_composite_is_a_risk_area_a_plan_can_rest_on(
    client: Client, municipality: Municipality
) -> None:
    """NORD's children in 2025Q2: SAG-1 and SAG-4 had every core requirement met on time, SAG-2 (late)
    and SAG-3 (overdue) did not: 2 of 4, wholly under 90 %."""
    client.force_login(leader(municipality))
    page = client.get("/rapporter/", {"periode": "2025Q2", "enhed": "BFE-NORD"}).content.decode()
    assert "Barnet fik alle kernekrav opfyldt til tiden" in page

    response = _post(client, krav="barn_samlet")

    assert response.status_code == 302  # type: ignore[attr-defined]
    plan = ActionPlan.objects.get()
    assert (plan.requirement, plan.pillar) == ("barn_samlet", "data")
    assert plan.baseline == pytest.approx(0.5)
    assert "kernekrav" in plan.title
    (judged,) = action_plans_judged(
        municipality=municipality, units=None, as_of=today_local(), standard=DEFAULT_STANDARD
    )
    assert judged.plan == plan
    assert judged.verdict == ONGOING
    assert "kernekrav" in judged.title
