"""`sagstilsyn compliance` (supervision-contract.md §4): an events file and a reviews file written as an
outsider would, imported through the import commands, give exactly the figures computed by hand here."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from sagstilsyn.cases.models import Case
from sagstilsyn.cases.selectors.obligations import obligations_evaluate
from sagstilsyn.core.management.base import Failed
from sagstilsyn.core.models import Municipality, Role, User
from sagstilsyn.law.calendar import local_date
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reviews.calibration import (
    calibration_case_create,
    calibration_questions,
    calibration_review_start,
)
from sagstilsyn.reviews.models import Review, Sample, SampleFrameCase, SampleRow
from sagstilsyn.reviews.programmes.adhoc import adhoc_part_ensure
from sagstilsyn.reviews.programmes.defaults import programme_default_ensure
from sagstilsyn.reviews.services.reviews import answer_save, review_submit
from tests.factories import event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db

HEADERS = ["requirement", "unit", "pillar", "n", "numerator", "percentage", "ci_low", "ci_high"]

# investigation_deadline (R07): need_noticed + 4 months, met by investigation_completed.
# investigation_preliminary_assessment (R08): the same due day, met by preliminary_assessment, not
# applicable when the investigation was completed by the due day. The period is 2025Q2.
EVENTS = """event_id;case_id;child_id;unit;type;at
E1;SAG-1;B1;BFE-NORD;need_noticed;2025-01-10
E2;SAG-1;B1;BFE-NORD;investigation_completed;2025-05-02
E3;SAG-2;B2;BFE-NORD;need_noticed;2025-01-20
E4;SAG-2;B2;BFE-NORD;preliminary_assessment;2025-05-15
E5;SAG-2;B2;BFE-NORD;investigation_completed;2025-06-01
E6;SAG-3;B3;BFE-NORD;need_noticed;2025-02-03
E7;SAG-4;B4;BFE-NORD;need_noticed;2024-12-01
E8;SAG-4;B4;BFE-NORD;investigation_completed;2025-03-01
E9;SAG-5;B5;BFE-SYD;need_noticed;2025-02-14
E10;SAG-5;B5;BFE-SYD;investigation_completed;2025-06-10
E11;SAG-6;B6;BFE-SYD;need_noticed;2024-11-15
E12;SAG-6;B6;BFE-SYD;investigation_completed;2025-04-01
E13;SAG-8;B8;BFE-SYD;need_noticed;2025-02-20
E14;SAG-8;B8;BFE-SYD;investigation_completed;2025-06-18
"""
# Due days: SAG-1 10.5 (met 2.5), SAG-2 20.5 (completed 1.6: late; preliminary 15.5 on time), SAG-3 3.6
# (nothing: overdue), SAG-4 1.4 (met 1.3), SAG-5 14.6 (met 10.6), SAG-6 15.3 (outside the period),
# SAG-8 20.6 (met 18.6, after an as-of of 15.6).

REVIEWS = (
    "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,question,answer,note\n"
    """R1,monthly_case_review,1,SAG-1,koordinator,1,2025-04-10,child_conversation,ja,
R1,monthly_case_review,1,SAG-1,koordinator,1,2025-04-10,bisidder_informed,nej,Ikke vejledt
R2,monthly_case_review,1,SAG-2,koordinator,1,2025-04-12,child_conversation,ja,
R2,monthly_case_review,1,SAG-2,koordinator,1,2025-04-12,bisidder_informed,ikke_relevant,
R3,monthly_case_review,1,SAG-1,jurist,2,2025-05-02,child_conversation,nej,Ingen samtale
R4,monthly_case_review,1,SAG-5,koordinator,1,2025-05-05,child_conversation,ja,
R4,monthly_case_review,1,SAG-5,koordinator,1,2025-05-05,bisidder_informed,ja,
R5,monthly_case_review,1,SAG-3,koordinator,1,2025-03-30,child_conversation,nej,Ingen samtale
R6,monthly_case_review,1,SAG-4,koordinator,1,2025-03-20,child_conversation,ja,
R7,monthly_case_review,1,SAG-4,jurist,2,2025-06-01,child_conversation,nej,Ingen samtale
R8,monthly_case_review,1,SAG-8,koordinator,1,2025-06-05,child_conversation,delvist,Kort samtale
R8,monthly_case_review,1,SAG-8,koordinator,1,2025-06-05,bisidder_informed,ja,
"""
)
# Q2 reviews: R1, R2, R4, R8 at level 1; R3 (level 2 of SAG-1) replaces R1's child_conversation only.
# R5 and R6 are from Q1; R7 is a level-2 review whose level-1 review (R6) is not in Q2: it replaces nothing.


@pytest.fixture
def municipality(tmp_path: Path) -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    make_unit(municipality, "BFE-VEST")
    make_user(municipality, Role.COORDINATOR, username="koordinator")
    make_user(municipality, Role.CENTRAL_LAWYER, username="jurist")
    events = tmp_path / "haendelser.csv"
    events.write_text(EVENTS, encoding="utf-8")
    reviews = tmp_path / "gennemgange.csv"
    reviews.write_text(REVIEWS, encoding="utf-8")
    quiet = io.StringIO()
    call_command("import", "events", str(events), stdout=quiet, stderr=quiet)
    call_command("import", "reviews", str(reviews), stdout=quiet, stderr=quiet)
    return municipality


def compliance(*args: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("compliance", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


#: The review pillar of 2025Q2, by hand. child_conversation: NORD R1 nej (R3 replaced ja), R2 ja; SYD R4
#: ja, R8 delvist. bisidder_informed: NORD R1 nej (R3 does not answer it), R2 ikke_relevant (left out);
#: SYD R4 ja, R8 ja. Intervals: the Wilson score interval with z = 1.959963984540054.
REVIEW_ROWS = [
    ["monthly_case_review.bisidder_informed", "ALL", "review", "3", "2", "66.67", "20.77", "93.85"],
    ["monthly_case_review.bisidder_informed", "BFE-NORD", "review", "1", "0", "0.00", "0.00", "79.35"],
    ["monthly_case_review.bisidder_informed", "BFE-SYD", "review", "2", "2", "100.00", "34.24", "100.00"],
    ["monthly_case_review.child_conversation", "ALL", "review", "4", "2", "50.00", "15.00", "85.00"],
    ["monthly_case_review.child_conversation", "BFE-NORD", "review", "2", "1", "50.00", "9.45", "90.55"],
    ["monthly_case_review.child_conversation", "BFE-SYD", "review", "2", "1", "50.00", "9.45", "90.55"],
]


def test_both_pillars_give_the_figures_computed_by_hand(municipality: Municipality) -> None:
    # As of 15.7.2025. R07: NORD SAG-1 on time, SAG-2 late, SAG-3 still overdue, SAG-4 on time (2 of 4);
    # SYD SAG-5 and SAG-8 on time (2 of 2); SAG-6 is due in Q1. R08: not applicable to SAG-1, SAG-4,
    # SAG-5 and SAG-8 (completed by the due day); SAG-2 met by the preliminary assessment, SAG-3 overdue
    # (1 of 2); BFE-SYD has n = 0 and no row.
    assert compliance("--period", "2025Q2", "--as-of", "2025-07-15") == [
        HEADERS,
        ["investigation_deadline", "ALL", "data", "6", "4", "66.67", "30.00", "90.32"],
        ["investigation_deadline", "BFE-NORD", "data", "4", "2", "50.00", "15.00", "85.00"],
        ["investigation_deadline", "BFE-SYD", "data", "2", "2", "100.00", "34.24", "100.00"],
        ["investigation_preliminary_assessment", "ALL", "data", "2", "1", "50.00", "9.45", "90.55"],
        ["investigation_preliminary_assessment", "BFE-NORD", "data", "2", "1", "50.00", "9.45", "90.55"],
        *REVIEW_ROWS,
    ]


def test_an_as_of_before_the_satisfying_event_counts_the_obligation_as_not_met(
    municipality: Municipality,
) -> None:
    # As of 15.6.2025: SAG-8's investigation (18.6) is not yet completed, so R07 SYD is 1 of 2, and R08
    # is not yet released for SAG-8 (due 20.6, open): counted, not met. SAG-5's release (10.6) is known.
    assert compliance("--period", "2025Q2", "--as-of", "2025-06-15") == [
        HEADERS,
        ["investigation_deadline", "ALL", "data", "6", "3", "50.00", "18.76", "81.24"],
        ["investigation_deadline", "BFE-NORD", "data", "4", "2", "50.00", "15.00", "85.00"],
        ["investigation_deadline", "BFE-SYD", "data", "2", "1", "50.00", "9.45", "90.55"],
        ["investigation_preliminary_assessment", "ALL", "data", "3", "1", "33.33", "6.15", "79.23"],
        ["investigation_preliminary_assessment", "BFE-NORD", "data", "2", "1", "50.00", "9.45", "90.55"],
        ["investigation_preliminary_assessment", "BFE-SYD", "data", "1", "0", "0.00", "0.00", "79.35"],
        *REVIEW_ROWS,
    ]


@pytest.mark.parametrize("as_of", ["2025-04-30", "2025-05-16", "2025-06-15", "2025-06-19", "2025-07-15"])
def test_the_data_pillar_equals_the_law_core_judging_the_events_on_the_as_of_day(
    municipality: Municipality, as_of: str
) -> None:
    day = date.fromisoformat(as_of)
    cases = {case.pk: case.unit.code for case in Case.objects.select_related("unit")}
    expected: dict[tuple[str, str], list[int]] = {}
    for case_id, obligation in obligations_evaluate(case_ids=sorted(cases), as_of=day):
        due = local_date(obligation.due)
        if (
            not (due.year == 2025 and 4 <= due.month <= 6)
            or obligation.status == ObligationStatus.NOT_APPLICABLE
        ):
            continue
        for unit in (cases[case_id], "ALL"):
            cell = expected.setdefault((obligation.rule_id, unit), [0, 0])
            cell[0] += 1
            cell[1] += obligation.status == ObligationStatus.MET
    got = {
        (row[0], row[1]): [int(row[3]), int(row[4])]
        for row in compliance("--period", "2025Q2", "--as-of", as_of)[1:]
        if row[2] == "data"
    }
    assert got == expected


def test_the_unit_filter_gives_only_that_units_rows(municipality: Municipality) -> None:
    assert compliance("--period", "2025Q2", "--as-of", "2025-07-15", "--unit", "BFE-SYD") == [
        HEADERS,
        ["investigation_deadline", "BFE-SYD", "data", "2", "2", "100.00", "34.24", "100.00"],
        REVIEW_ROWS[2],
        REVIEW_ROWS[5],
    ]
    assert compliance("--period", "2025Q2", "--unit", "BFE-VEST") == [HEADERS]


def test_a_period_without_obligations_or_reviews_gives_the_header_only(municipality: Municipality) -> None:
    assert compliance("--period", "2024-01", "--as-of", "2025-07-15") == [HEADERS]


def test_the_month_and_the_year_are_periods_too(municipality: Municipality) -> None:
    # May 2025: R07 due 10.5 (SAG-1, on time) and 20.5 (SAG-2, late); R3 is a level-2 review without its
    # level-1 review in May (R1 is from April): it replaces nothing; R4 (SYD) is May's only level-1 review.
    one_yes = ["1", "1", "100.00", "20.65", "100.00"]
    assert compliance("--period", "2025-05", "--as-of", "2025-07-15") == [
        HEADERS,
        ["investigation_deadline", "ALL", "data", "2", "1", "50.00", "9.45", "90.55"],
        ["investigation_deadline", "BFE-NORD", "data", "2", "1", "50.00", "9.45", "90.55"],
        ["investigation_preliminary_assessment", "ALL", "data", "1", "1", "100.00", "20.65", "100.00"],
        ["investigation_preliminary_assessment", "BFE-NORD", "data", "1", "1", "100.00", "20.65", "100.00"],
        ["monthly_case_review.bisidder_informed", "ALL", "review", *one_yes],
        ["monthly_case_review.bisidder_informed", "BFE-SYD", "review", *one_yes],
        ["monthly_case_review.child_conversation", "ALL", "review", *one_yes],
        ["monthly_case_review.child_conversation", "BFE-SYD", "review", *one_yes],
    ]
    whole_year = compliance("--period", "2025", "--as-of", "2025-07-15")
    assert ["investigation_deadline", "ALL", "data", "7", "4", "57.14", "25.05", "84.18"] in whole_year


def test_the_xlsx_file_holds_the_same_rows_as_the_csv(municipality: Municipality, tmp_path: Path) -> None:
    path = tmp_path / "lovoverholdelse.xlsx"
    call_command(
        "compliance", "--period", "2025Q2", "--as-of", "2025-07-15", "--format", "xlsx", "--output", str(path)
    )
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [
        ["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == compliance("--period", "2025Q2", "--as-of", "2025-07-15")
    csv_path = tmp_path / "lovoverholdelse.csv"
    call_command("compliance", "--period", "2025Q2", "--as-of", "2025-07-15", "--output", str(csv_path))
    assert list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8")))) == cells


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2025Q5"), "kvartal 5 findes ikke"),
        (("--period", "marts"), "er ikke en måned"),
        (("--period", "2025", "--unit", "BFE-ØST"), "Enheden med koden 'BFE-ØST' findes ikke"),
        (("--period", "2025", "--format", "xlsx"), "XLSX skal skrives til en fil"),
    ],
)
def test_bad_input_gives_a_danish_error(
    municipality: Municipality, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(Failed, match=message):
        call_command("compliance", *args, stdout=io.StringIO())


def _sample_of(
    municipality: Municipality,
    weights: dict[str, float],
    hand_picked: frozenset[str] = frozenset(),
    scope: str = "",
    design: str = "stratified",
) -> None:
    """Tie the imported level-1 reviews of 2025Q2 to the rows of one sample with these design weights
    (by review id). The sample is written directly: the draw decides weights by chance, this test by hand."""
    part = adhoc_part_ensure(municipality, "ekstern")
    sample = Sample.objects.create(
        part=part,
        period="2025Q2",
        scope=scope,
        design=design,
        size=len(weights),
        seed="s",
        frame_hash="h",
        frame_size=20,
        drawn_at=timezone.now(),
    )
    for position, (review_id, weight) in enumerate(sorted(weights.items()), start=1):
        review = Review.objects.get(source_review_id=review_id)
        row = SampleRow.objects.create(
            sample=sample,
            position=position,
            case=review.case,
            key=0.5,
            inclusion_probability=1 / weight,
            weight=weight,
            status="drawn",
            hand_picked=review_id in hand_picked,
        )
        review.sample_row = row
        review.save(update_fields=["sample_row"])


def test_a_sample_with_unequal_weights_gives_the_weighted_estimate(municipality: Municipality) -> None:
    # Weights: NORD cases 2 (R1, R2), SYD cases 6 (R4, R8): each unit's weights are equal (Wilson as
    # before); ALL is weighted. bisidder_informed ALL: y = (0, 1, 1), w = (2, 6, 6): p = 12/14 = 85.71 %;
    # z_i = 3 w_i (y_i - p) / 14; v = n/(n-1) Σ (w_i (y_i - p))² / 14² = 0.0337359..., se = 9/49 =
    # 0.1836735; low = 0.8571429 - 1.959964 · 0.1836735 = 49.71 %, high cut at 100 %.
    # child_conversation ALL: y = (0, 1, 1, 0), w = (2, 2, 6, 6): p = 8/16 = 50 %, se = 0.3227,
    # so the interval 50 ± 63.26 is cut to 0-100.
    _sample_of(municipality, {"R1": 2.0, "R2": 2.0, "R4": 6.0, "R8": 6.0})
    rows = [row for row in compliance("--period", "2025Q2", "--as-of", "2025-07-15") if row[2] == "review"]
    assert rows == [
        ["monthly_case_review.bisidder_informed", "ALL", "review", "3", "2", "85.71", "49.71", "100.00"],
        REVIEW_ROWS[1],
        REVIEW_ROWS[2],
        ["monthly_case_review.child_conversation", "ALL", "review", "4", "2", "50.00", "0.00", "100.00"],
        REVIEW_ROWS[4],
        REVIEW_ROWS[5],
    ]


def test_simple_random_samples_with_different_weights_stay_unweighted(municipality: Municipality) -> None:
    # Two simple random samples (each with equal weights, 2 and 6): no weighted sample, so even ALL,
    # whose weights differ, is numerator/n with the Wilson interval.
    _sample_of(municipality, {"R1": 2.0, "R2": 2.0}, scope="BFE-NORD", design="srs")
    _sample_of(municipality, {"R4": 6.0, "R8": 6.0}, scope="BFE-SYD", design="srs")
    rows = [row for row in compliance("--period", "2025Q2", "--as-of", "2025-07-15") if row[2] == "review"]
    assert rows == REVIEW_ROWS


def test_hand_picked_reviews_are_never_in_a_rate(municipality: Municipality) -> None:
    _sample_of(municipality, {"R1": 1.0, "R2": 1.0, "R4": 1.0, "R8": 1.0}, hand_picked=frozenset({"R4"}))
    rows = [row for row in compliance("--period", "2025Q2", "--unit", "BFE-SYD") if row[2] == "review"]
    assert rows == [
        ["monthly_case_review.bisidder_informed", "BFE-SYD", "review", "1", "1", "100.00", "20.65", "100.00"],
        ["monthly_case_review.child_conversation", "BFE-SYD", "review", "1", "0", "0.00", "0.00", "79.35"],
    ]


def test_calibration_reviews_are_never_in_a_rate(municipality: Municipality) -> None:
    programme = next(p for p in programme_default_ensure(municipality) if p.code == "maanedlig")
    # A measure makes the questionnaire's questions apply to the case.
    record(
        municipality,
        event(
            "E20",
            "measure_decided",
            date(2025, 6, 20),
            case_id="SAG-5",
            child_id="B5",
            unit="BFE-SYD",
            attrs={"measure": "support"},
        ),
    )
    case = Case.objects.get(source_ref="SAG-5")
    questions = calibration_questions(case, "monthly_case_review", 1)
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    calibration = calibration_case_create(
        programme=programme,
        case=case,
        questionnaire="monthly_case_review",
        version=1,
        answer_key={q.id: q.answers[0] for q in questions},
        actor=admin,
    )
    reviewer = User.objects.get(username="koordinator")
    review = calibration_review_start(calibration_case=calibration, reviewer=reviewer, actor=reviewer)
    for question in questions:
        answer_save(review=review, question_id=question.id, answer="ja", note="", actor=reviewer)
    review_submit(review=review, actor=reviewer)
    review.refresh_from_db()
    assert review.status in ("submitted", "closed")
    assert review.reviewed_on is not None
    month = review.reviewed_on.strftime("%Y-%m")
    assert [row for row in compliance("--period", month) if row[2] == "review"] == []


def test_a_stratified_sample_with_its_frame_gives_the_stratified_interval(municipality: Municipality) -> None:
    # Stratified by unit, the frame stored: NORD 4 cases, R1 and R2 read (f = 1/2, weight 2); SYD 2
    # cases, R4 and R8 read (the whole stratum: f = 1, weight 1). ADR 0040: Σ_h (1 − f_h) n_h/(n_h − 1)
    # Σ (z_i − z̄_h)², z_i = w_i (y_i − p) / Σw.
    # child_conversation ALL: y = NORD (0, 1), SYD (1, 0): p = 3/6; NORD z = ±1/6, v = (1/2)·2·(2/36)
    # = 1/18, SYD adds nothing: 50 ± 1.959964·0.2357 = 3.80-96.20 (the one-stratum variance gave 0-100).
    # bisidder_informed ALL: NORD (0) alone (R2 not applicable), SYD (1, 1): p = 2/4; NORD's lonely
    # z = 2·(−1/2)/4 = −1/4 is centred on 0: v = (1/2)·(1/16), 50 ± 34.65 = 15.35-84.65.
    part = adhoc_part_ensure(municipality, "ekstern")
    sample = Sample.objects.create(
        part=part,
        period="2025Q2",
        design="stratified",
        size=4,
        stratum_sizes={"BFE-NORD": 2, "BFE-SYD": 2},
        seed="s",
        frame_hash="h",
        frame_size=6,
        drawn_at=timezone.now(),
    )
    frame = {"BFE-NORD": ["SAG-1", "SAG-2", "SAG-3", "SAG-4"], "BFE-SYD": ["SAG-5", "SAG-8"]}
    for stratum, refs in frame.items():
        for ref in refs:
            SampleFrameCase.objects.create(
                sample=sample,
                case=Case.objects.get(municipality=municipality, source_ref=ref),
                stratum=stratum,
            )
    for position, (review_id, stratum, weight) in enumerate(
        (("R1", "BFE-NORD", 2.0), ("R2", "BFE-NORD", 2.0), ("R4", "BFE-SYD", 1.0), ("R8", "BFE-SYD", 1.0)),
        start=1,
    ):
        review = Review.objects.get(source_review_id=review_id)
        review.sample_row = SampleRow.objects.create(
            sample=sample,
            position=position,
            case=review.case,
            stratum=stratum,
            key=0.5,
            inclusion_probability=1 / weight,
            weight=weight,
            status="drawn",
        )
        review.save(update_fields=["sample_row"])
    rows = [row for row in compliance("--period", "2025Q2", "--as-of", "2025-07-15") if row[2] == "review"]
    assert rows == [
        ["monthly_case_review.bisidder_informed", "ALL", "review", "3", "2", "50.00", "15.35", "84.65"],
        REVIEW_ROWS[1],
        REVIEW_ROWS[2],
        ["monthly_case_review.child_conversation", "ALL", "review", "4", "2", "50.00", "3.80", "96.20"],
        REVIEW_ROWS[4],
        REVIEW_ROWS[5],
    ]
