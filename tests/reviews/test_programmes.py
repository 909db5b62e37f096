"""Programmes, the supervision draw and the sample commands (ADR 0026, supervision-contract.md §2)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sagstilsyn.core.models import AuditEvent, Municipality, Role, UnitKind
from sagstilsyn.reviews.models import Programme, ProgrammePart, Sample, SampleFrameCase, SampleRow
from sagstilsyn.reviews.programmes.defaults import DEFAULT_ELIGIBILITY, programme_default_ensure
from sagstilsyn.reviews.programmes.draw import NO_REVIEWER, risk_weights, samples_verify, supervision_draw
from sagstilsyn.reviews.programmes.eligibility import ALREADY_DRAWN
from sagstilsyn.reviews.programmes.export import EXPORT_COLUMNS
from sagstilsyn.reviews.programmes.periods import Period, PeriodError, period_parse
from tests.factories import event, make_case, make_municipality, make_staff, make_unit, record
from tests.reviews.test_redraw_doc import REDRAW

pytestmark = pytest.mark.django_db

CONTRACT_COLUMNS = [
    "sample_id",
    "programme",
    "part",
    "period",
    "design",
    "seed",
    "frame_hash",
    "frame_size",
    "stratum",
    "case_id",
    "unit",
    "key",
    "inclusion_probability",
    "weight",
    "status",
    "reason",
    "reviewer",
]


def world() -> Municipality:
    """Two units and Døgnvagten, their caseworkers and leaders, two centre lawyers, 13 open cases."""
    municipality = make_municipality()
    north, south = make_unit(municipality, "BFE-NORD"), make_unit(municipality, "BFE-SYD")
    emergency = make_unit(municipality, "DV", kind=UnitKind.EMERGENCY)
    for unit, name in ((north, "nord"), (south, "syd"), (emergency, "dv")):
        make_staff(municipality, Role.COORDINATOR, unit, username=f"koord-{name}")
        make_staff(municipality, Role.AREA_CHIEF, unit, username=f"chef-{name}")
    for name in ("jurist-a", "jurist-b"):
        make_staff(municipality, Role.CENTRE_LAWYER, username=name)
    make_staff(municipality, Role.CASEWORKER, north, username="sb-1")
    make_staff(municipality, Role.CASEWORKER, north, username="sb-2")
    make_staff(municipality, Role.CASEWORKER, south, username="sb-3")
    make_staff(municipality, Role.CASEWORKER, emergency, username="sb-dv")
    for number in range(6):
        make_case(municipality, f"N-{number}", unit="BFE-NORD", caseworker=f"sb-{1 + number % 2}")
    for number in range(4):
        make_case(municipality, f"S-{number}", unit="BFE-SYD", caseworker="sb-3")
    for number in range(3):
        make_case(municipality, f"D-{number}", unit="DV", caseworker="sb-dv")
    programme_default_ensure(municipality)
    return municipality


@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [("2025-03", "2025-03", "month"), ("2025q1", "2025Q1", "quarter"), ("2025", "2025", "year")],
)
def test_period_parse(text: str, label: str, kind: str) -> None:
    period = period_parse(text)
    assert (period.label, period.kind) == (label, kind)


@pytest.mark.parametrize("text", ["2025-13", "2025Q5", "25", "marts", "2025-3"])
def test_period_parse_refuses_in_danish(text: str) -> None:
    with pytest.raises(PeriodError, match="periode"):
        period_parse(text)


def test_january_starts_its_quarter_and_year() -> None:
    labels = [p.label for p in period_parse("2025-01").owed()]
    assert labels == ["2025-01", "2025Q1", "2025"]
    assert [p.label for p in period_parse("2025-02").owed()] == ["2025-02"]


def test_default_programme_is_data_and_ensured_once() -> None:
    municipality = make_municipality()
    programme_default_ensure(municipality)
    programme_default_ensure(municipality)
    assert Programme.objects.filter(municipality=municipality).count() == 3
    codes = sorted(ProgrammePart.objects.values_list("code", flat=True))
    assert codes == ["center", "doegnvagt", "enhed", "risiko", "sagsbehandler", "udveksling"]
    centre = ProgrammePart.objects.get(code="center")
    assert (centre.size, centre.level2_share, centre.reviewer_rule) == (60, 0.5, "centre_lawyers")


def test_draw_for_january_draws_month_quarter_and_year_and_nobody_reads_own_case() -> None:
    municipality = world()
    samples = supervision_draw(municipality=municipality, period=period_parse("2025-01"), actor=None)
    parts = sorted({(s.part.code, s.period) for s in samples})
    assert parts == [
        ("center", "2025Q1"),
        ("doegnvagt", "2025Q1"),
        ("enhed", "2025Q1"),
        ("risiko", "2025"),
        ("sagsbehandler", "2025-01"),
        ("udveksling", "2025Q1"),
    ]
    monthly = Sample.objects.get(part__code="sagsbehandler")
    drawn = monthly.rows.filter(status="drawn")
    assert sorted(drawn.values_list("stratum", flat=True)) == ["sb-1", "sb-2", "sb-3"]
    assert monthly.frame.count() == 10  # Døgnvagten's cases belong to the emergency part
    assert {s.scope for s in samples if s.part.code == "risiko"} == {"BFE-NORD", "BFE-SYD"}
    emergency = Sample.objects.get(part__code="doegnvagt")
    assert emergency.rows.count() == 3
    assert emergency.frame_size == 3
    for row in SampleRow.objects.exclude(status="excluded").select_related("case", "reviewer"):
        assert row.reviewer is not None
        assert row.reviewer.pk != row.case.caseworker_id
    # the centre part draws first and takes the quarter's 10 unit cases; the others' are excluded
    later = SampleRow.objects.filter(sample__period="2025Q1").exclude(
        sample__part__code__in=["center", "doegnvagt"]
    )
    assert {(row.status, row.reason.split(";")[0], row.reviewer) for row in later} == {
        ("excluded", ALREADY_DRAWN, None)
    }
    centre = Sample.objects.get(part__code="center")
    assert {r.reviewer.username for r in centre.rows.all() if r.reviewer} == {"jurist-a", "jurist-b"}
    assert centre.rows.filter(level2=True).count() == centre.rows.count() // 2
    assert monthly.eligibility == DEFAULT_ELIGIBILITY
    assert AuditEvent.objects.filter(action="sample_draw").count() == len(samples)


def test_risk_weights_are_kept_in_the_frame() -> None:
    municipality = world()
    supervision_draw(municipality=municipality, period=period_parse("2025"), actor=None)
    weights = set(
        SampleFrameCase.objects.filter(sample__part__code="risiko").values_list("risk_weight", flat=True)
    )
    assert weights
    assert all(weight >= 2.0 for weight in weights)


def test_drawing_again_changes_nothing() -> None:
    municipality = world()
    period = period_parse("2025-01")
    supervision_draw(municipality=municipality, period=period, actor=None)
    before = list(SampleRow.objects.order_by("pk").values_list("pk", "case_id", "status", "reviewer_id"))
    events = AuditEvent.objects.count()
    assert supervision_draw(municipality=municipality, period=period, actor=None) == []
    assert (
        list(SampleRow.objects.order_by("pk").values_list("pk", "case_id", "status", "reviewer_id")) == before
    )
    assert AuditEvent.objects.count() == events


def test_a_case_only_its_own_reader_could_read_is_excluded_with_the_reason() -> None:
    municipality = make_municipality()
    north = make_unit(municipality, "BFE-NORD")
    make_staff(municipality, Role.COORDINATOR, north, username="koord")
    make_case(municipality, "N-1", unit="BFE-NORD", caseworker="koord")
    programme_default_ensure(municipality)
    supervision_draw(municipality=municipality, period=period_parse("2025-02"), actor=None)
    row = SampleRow.objects.get(sample__part__code="sagsbehandler")
    assert (row.status, row.reason, row.reviewer) == ("excluded", NO_REVIEWER, None)
    assert samples_verify() == []


def test_a_later_part_version_applies_from_its_period() -> None:
    municipality = world()
    part = ProgrammePart.objects.get(code="doegnvagt")
    newer = ProgrammePart.objects.create(
        programme=part.programme,
        code=part.code,
        name=part.name,
        valid_from="2025Q2",
        period_kind="quarter",
        design="srs",
        size=1,
        strata="none",
        unit_kind="emergency",
        eligibility=part.eligibility,
        reviewer_rule="area",
    )
    supervision_draw(municipality=municipality, period=period_parse("2025Q1"), actor=None)
    supervision_draw(municipality=municipality, period=period_parse("2025Q2"), actor=None)
    assert Sample.objects.get(part__code="doegnvagt", period="2025Q1").part_id == part.pk
    q2 = Sample.objects.get(part__code="doegnvagt", period="2025Q2")
    assert (q2.part_id, q2.rows.count()) == (newer.pk, 1)


def test_draw_command_and_danish_period_error() -> None:
    world()
    out = io.StringIO()
    call_command("supervision", "draw", "--period", "2025-01", stdout=out)
    assert "8 nye stikprøver for 2025-01." in out.getvalue()
    again = io.StringIO()
    call_command("supervision", "draw", "--period", "2025-01", stdout=again)
    assert "0 nye stikprøver for 2025-01." in again.getvalue()
    with pytest.raises(CommandError, match="ikke en måned"):
        call_command("supervision", "draw", "--period", "januar")


def test_export_has_exactly_the_contract_columns(tmp_path: Path) -> None:
    municipality = world()
    supervision_draw(municipality=municipality, period=period_parse("2025-01"), actor=None)
    assert list(EXPORT_COLUMNS) == CONTRACT_COLUMNS
    out = io.StringIO()
    call_command("samples", "export", "--period", "2025Q1", "--programme", "kvartal", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == CONTRACT_COLUMNS
    assert {r["period"] for r in rows} == {"2025Q1"}
    assert {r["programme"] for r in rows} == {"kvartal"}
    assert {r["status"] for r in rows} <= {"drawn", "excluded", "replacement"}
    target = tmp_path / "s.xlsx"
    call_command("samples", "export", "--output", str(target), stderr=io.StringIO())
    assert target.read_bytes()[:2] == b"PK"


def test_verify_passes_and_detects_a_tampered_row() -> None:
    municipality = world()
    supervision_draw(municipality=municipality, period=period_parse("2025-01"), actor=None)
    out = io.StringIO()
    call_command("samples", "verify", stdout=out)
    assert "uden forskelle" in out.getvalue()
    row = SampleRow.objects.filter(sample__part__code="sagsbehandler", stratum="sb-1").first()
    assert row is not None
    other = (
        SampleFrameCase.objects.filter(sample=row.sample, stratum="sb-1")
        .exclude(case=row.case)
        .exclude(case__in=row.sample.rows.values("case"))
        .first()
    )
    assert other is not None
    row.case = other.case
    row.save()
    with pytest.raises(CommandError, match="forskelle"):
        call_command("samples", "verify", stderr=io.StringIO())


@pytest.mark.parametrize("part", ["sagsbehandler", "enhed", "center", "risiko", "doegnvagt"])
def test_the_redraw_document_gives_the_same_cases_from_export_and_frame(part: str) -> None:
    municipality = world()
    supervision_draw(municipality=municipality, period=period_parse("2025-01"), actor=None)
    for sample in Sample.objects.filter(part__code=part):
        out, frame_out = io.StringIO(), io.StringIO()
        call_command("samples", "export", stdout=out)
        call_command("samples", "frame", str(sample.pk), stdout=frame_out)
        rows = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["sample_id"] == str(sample.pk)]
        frame = list(csv.DictReader(io.StringIO(frame_out.getvalue())))
        assert list(frame[0]) == ["case_id", "stratum", "risk_weight"]
        expected = {r["case_id"] for r in rows if r["status"] != "replacement"}
        assert set(REDRAW(frame, rows)) == expected


def test_frame_command_refuses_an_unknown_sample() -> None:
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("samples", "frame", "999")


def test_period_owed_by_a_quarter_includes_the_year_in_q1() -> None:
    assert [p.label for p in Period("quarter", 2025, 1).owed()] == ["2025Q1", "2025"]


def test_risk_weight_counts_overdue_obligations_and_placement_without_consent() -> None:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    plain = make_case(municipality, "P-1", overdue=False)
    placed = make_case(municipality, "P-2", overdue=False)
    record(
        municipality,
        event(
            "P-2-x",
            "measure_decided",
            date(2024, 6, 1),
            case_id="P-2",
            child_id="BARN-P-2",
            attrs={"measure": "placement_without_consent"},
        ),
    )
    weights = risk_weights([plain, placed], date(2025, 1, 1))
    assert weights[placed.pk] >= weights[plain.pk] + 2.0


def test_the_exchange_is_read_by_the_partner_unit() -> None:
    municipality = world()
    ProgrammePart.objects.filter(code__in=["center", "enhed"]).update(active=False)
    supervision_draw(municipality=municipality, period=period_parse("2025Q1"), actor=None)
    readers = {
        (row.sample.scope, row.reviewer.username if row.reviewer else "")
        for row in SampleRow.objects.filter(sample__part__code="udveksling").select_related(
            "sample", "reviewer"
        )
    }
    assert readers == {("BFE-NORD", "koord-syd"), ("BFE-SYD", "koord-nord")}
    assert SampleRow.objects.filter(sample__part__code="udveksling", sample__scope="BFE-NORD").count() == 2
