"""Eligibility as of the period's start, cases read recently, cases already drawn in the period, and the
draw's fixed number of queries (issue 13 §1, ADR 0030)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sagstilsyn.core.models import Municipality, Role
from sagstilsyn.reviews.importing import reviews_import_file
from sagstilsyn.reviews.models import ProgrammePart, SampleRow
from sagstilsyn.reviews.programmes.defaults import DEFAULT_ELIGIBILITY, programme_default_ensure
from sagstilsyn.reviews.programmes.draw import eligible_cases, passed_over, samples_verify, supervision_draw
from sagstilsyn.reviews.programmes.eligibility import ALREADY_DRAWN, Eligibility, eligibility_text
from sagstilsyn.reviews.programmes.periods import period_parse
from sagstilsyn.reviews.sampling import FrameCase, apply_exclusions, srs
from tests.factories import make_case, make_municipality, make_staff, make_unit

pytestmark = pytest.mark.django_db


def test_an_obligation_counts_as_open_on_the_period_start_not_today() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    met = make_case(municipality, "MET", overdue=False)  # investigation 10.01.2024, completed 01.03.2024
    late = make_case(municipality, "LATE")  # investigation 10.01.2024, never completed
    sets = Eligibility(municipality)
    assert sets.open_at(date(2024, 1, 1)) == set()  # nothing had arisen
    assert sets.open_at(date(2024, 2, 1)) == {met.pk, late.pk}  # met only later: open then
    assert sets.open_at(date(2024, 4, 1)) == {late.pk}  # met before the start: not open
    assert sets.open_at(date(2026, 1, 1)) == {late.pk}


def _reviewed(municipality: Municipality, case: str, day: str) -> None:
    header = (
        "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,"
        "question,answer,note"
    )
    row = f"R-{case},monthly_case_review,1,{case},koord,1,{day},child_conversation,ja,"
    reviews_import_file(data=f"{header}\n{row}\n".encode(), municipality=municipality, filename="g.csv")


def test_a_case_read_in_the_months_before_the_period_is_left_out_of_the_frame() -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    make_staff(municipality, Role.COORDINATOR, unit, username="koord")
    for ref in ("A", "B"):
        make_case(municipality, ref)
    programme_default_ensure(municipality)
    _reviewed(municipality, "A", "2025-03-04")
    part = ProgrammePart.objects.get(code="sagsbehandler")

    def frame(period: str) -> list[str]:
        return [case.source_ref for case in eligible_cases(municipality, part, period_parse(period))]

    assert frame("2025-03") == ["A", "B"]  # read on 4 March: after the period's start
    assert frame("2025-06") == ["B"]
    assert frame("2026-03") == ["B"]  # 12 months before 1 March 2026 reach back to 1 March 2025
    assert frame("2026-04") == ["A", "B"]
    part.eligibility = {**part.eligibility, "not_reviewed_months": 0}
    assert frame("2025-06") == ["A", "B"]


def _quarter_world() -> Municipality:
    """Two units of six open cases; the quarter's centre part draws 3 per unit, the unit part 3 per unit."""
    municipality = make_municipality()
    for code in ("BFE-NORD", "BFE-SYD"):
        unit = make_unit(municipality, code)
        make_staff(municipality, Role.AREA_CHIEF, unit, username=f"chef-{code}")
        make_staff(municipality, Role.CASEWORKER, unit, username=f"sb-{code}")
        for number in range(6):
            make_case(municipality, f"{code}-{number}", unit=code, caseworker=f"sb-{code}")
    make_staff(municipality, Role.CENTRE_LAWYER, username="jurist")
    programme_default_ensure(municipality)
    ProgrammePart.objects.filter(code__in=["doegnvagt", "udveksling"]).update(active=False)
    ProgrammePart.objects.filter(code="center").update(size=6)
    ProgrammePart.objects.filter(code="enhed").update(stratum_size=3)
    return municipality


def test_a_case_another_part_drew_in_the_period_is_excluded_replaced_and_verified() -> None:
    municipality = _quarter_world()
    supervision_draw(municipality=municipality, period=period_parse("2025Q2"), actor=None)
    rows = list(SampleRow.objects.select_related("case", "sample__part"))
    centre = {row.case.source_ref for row in rows if row.sample.part.code == "center"}
    unit_rows = [row for row in rows if row.sample.part.code == "enhed"]
    read = {row.case.source_ref for row in unit_rows if row.status != "excluded"}
    excluded = [row for row in unit_rows if row.status == "excluded"]
    every = {f"{code}-{n}" for code in ("BFE-NORD", "BFE-SYD") for n in range(6)}
    assert len(centre) == 6
    assert read == every - centre  # the unit part reads only what the centre part left
    assert {row.case.source_ref for row in excluded} == centre & {r.case.source_ref for r in unit_rows}
    assert all(row.reason.startswith(ALREADY_DRAWN) and row.reviewer is None for row in excluded)
    assert samples_verify() == []


def test_the_rule_can_be_switched_off_per_part() -> None:
    municipality = _quarter_world()
    part = ProgrammePart.objects.get(code="enhed")
    part.eligibility = {**part.eligibility, "not_drawn_in_period": False}
    part.save()
    supervision_draw(municipality=municipality, period=period_parse("2025Q2"), actor=None)
    assert not SampleRow.objects.filter(status="excluded").exists()


def test_an_excluded_case_without_replacement_names_the_cases_passed_over_and_verifies() -> None:
    frame = [FrameCase(case_id) for case_id in ("A", "B", "C")]
    drawn = srs(frame, 1, "frø")
    first = drawn.rows[0].case_id
    result = apply_exclusions(drawn, frame, {case.case_id: "lukket, flyttet" for case in frame})
    assert [row.status for row in result.rows] == ["excluded"]
    named = passed_over(result.rows[0].reason)
    assert sorted(case_id for case_id, _ in named) == sorted({"A", "B", "C"} - {first})
    assert {why for _, why in named} == {"lukket, flyttet"}


def test_passed_over_reads_reasons_with_commas_and_parentheses() -> None:
    reason = (
        "erstatter A; sprunget over: B (ingen bedømmer, der ikke arbejder på sagen), C (lukket (flyttet))"
    )
    assert passed_over(reason) == [
        ("B", "ingen bedømmer, der ikke arbejder på sagen"),
        ("C", "lukket (flyttet)"),
    ]
    assert passed_over("erstatter A") == []


def test_the_draw_runs_the_same_queries_for_more_cases() -> None:
    def queries(cases: int) -> int:
        municipality = make_municipality(code=f"{cases:03d}")
        unit = make_unit(municipality, f"U-{cases}")
        make_staff(municipality, Role.COORDINATOR, unit, username=f"koord-{cases}")
        make_staff(municipality, Role.AREA_CHIEF, unit, username=f"chef-{cases}")
        for number in range(cases):
            make_staff(municipality, Role.CASEWORKER, unit, username=f"sb-{cases}-{number}")
            make_case(
                municipality, f"C{cases}-{number}", unit=f"U-{cases}", caseworker=f"sb-{cases}-{number}"
            )
        programme_default_ensure(municipality)
        with CaptureQueriesContext(connection) as captured:
            supervision_draw(municipality=municipality, period=period_parse("2025-02"), actor=None)
        return len(captured)

    assert queries(2) == queries(6)


def test_eligibility_in_words() -> None:
    assert eligibility_text(DEFAULT_ELIGIBILITY) == (
        "Sager med en åben forpligtelse ved periodens start eller en afgørelse om foranstaltning inden for "
        "12 måneder før periodens start. Ikke sager, der er gennemgået inden for 12 måneder før periodens "
        "start. En sag, der allerede er udtrukket til en anden stikprøve i samme periode, udelades og "
        "erstattes."
    )
    assert eligibility_text({"not_drawn_in_period": False}) == "Alle sager."
    assert "inden for 1 måned før" in eligibility_text({"decision_months": 1})
