"""Enighed mellem niveauer (supervision contract §4): the statistics, the selector and the command."""

from __future__ import annotations

import io
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from sagstilsyn.core.management.base import Failed
from sagstilsyn.core.models import Role
from sagstilsyn.reviews.agreement import agreement_of, cohens_kappa, gwets_ac1, period_bounds
from sagstilsyn.reviews.importing import reviews_import_file
from tests.factories import make_case, make_municipality, make_unit, make_user


def _pairs(table: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    return [pair for pair, count in table.items() for _ in range(count)]


def test_the_kappa_paradox_low_kappa_high_agreement() -> None:
    # Feinstein & Cicchetti (1990): 85 % agreement, yet κ is low because nearly every answer is 'ja'.
    pairs = _pairs({("ja", "ja"): 80, ("ja", "nej"): 10, ("nej", "ja"): 5, ("nej", "nej"): 5})
    p_o = Fraction(85, 100)
    kappa_chance = Fraction(90, 100) * Fraction(85, 100) + Fraction(10, 100) * Fraction(15, 100)  # 0.78
    ac1_chance = (Fraction(175, 200) * Fraction(25, 200) + Fraction(25, 200) * Fraction(175, 200)) / 3
    result = agreement_of(pairs)
    assert result.pairs == 100
    assert result.agreement == pytest.approx(0.85)
    assert result.kappa == pytest.approx(float((p_o - kappa_chance) / (1 - kappa_chance)))  # 0.318
    assert result.ac1 == pytest.approx(float((p_o - ac1_chance) / (1 - ac1_chance)))  # 0.838
    assert result.kappa is not None
    assert result.ac1 is not None
    assert result.kappa < 0.35
    assert result.ac1 > 0.8


def test_balanced_answers_give_kappa_and_ac1_close_together() -> None:
    pairs = _pairs({("ja", "ja"): 40, ("ja", "nej"): 9, ("nej", "ja"): 6, ("nej", "nej"): 45})
    # κ: p_e = 0.49·0.46 + 0.51·0.54 = 0.5008; (0.85 − 0.5008) / 0.4992
    assert cohens_kappa(pairs) == pytest.approx((0.85 - 0.5008) / 0.4992)
    # AC1 over q = 4: π_ja = 0.475, π_nej = 0.525, the others 0
    chance = (0.475 * 0.525 + 0.525 * 0.475) / 3
    assert gwets_ac1(pairs) == pytest.approx((0.85 - chance) / (1 - chance))


def test_four_answers_and_undefined_values() -> None:
    pairs = [("ja", "ja"), ("nej", "delvist"), ("delvist", "delvist"), ("ikke_relevant", "ja")]
    # κ: p_o = 1/2; level 1 has each answer once, level 2 ja 2, delvist 2: p_e = (2 + 2)/16 = 1/4
    assert cohens_kappa(pairs) == pytest.approx((0.5 - 0.25) / 0.75)
    same = [("ja", "ja")] * 3
    result = agreement_of(same)
    assert (result.agreement, result.kappa, result.ac1) == (1.0, None, 1.0)
    assert agreement_of([]).agreement is None
    with pytest.raises(ValueError, match="ukendt svar"):
        agreement_of([("ja", "maybe")])


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("2025-03", (date(2025, 3, 1), date(2025, 3, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2025Q4", (date(2025, 10, 1), date(2025, 12, 31))),
        ("2025", (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_period_bounds(text: str, bounds: tuple[date, date]) -> None:
    assert period_bounds(text) == bounds


@pytest.mark.parametrize("text", ["2025-13", "2025Q5", "25", "marts"])
def test_bad_periods_are_refused_in_danish(text: str) -> None:
    with pytest.raises(ValueError, match=r"(?i)periode"):
        period_bounds(text)


HEADER = (
    "review_id,questionnaire,questionnaire_version,case_id,reviewer,level,reviewed_on,question,answer,note"
)


@pytest.mark.django_db
def test_the_agreement_command_pairs_levels_on_the_same_case_in_the_period(tmp_path: Path) -> None:
    municipality = make_municipality()
    make_unit(municipality)
    for ref in ("SAG-1", "SAG-2", "SAG-3"):
        make_case(municipality, ref)
    make_user(municipality, Role.COORDINATOR, username="k")
    make_user(municipality, Role.CENTRAL_LAWYER, username="j")
    q = "monthly_case_review,1"
    rows = [
        f"A1,{q},SAG-1,k,1,2025-03-04,child_conversation,ja,",
        f"A1,{q},SAG-1,k,1,2025-03-04,bisidder_informed,ja,",
        f"B1,{q},SAG-1,j,2,2025-03-20,child_conversation,ja,",
        f"B1,{q},SAG-1,j,2,2025-03-20,bisidder_informed,nej,x",
        f"A2,{q},SAG-2,k,1,2025-03-05,child_conversation,ja,",
        f"B2,{q},SAG-2,j,2,2025-03-21,child_conversation,nej,x",
        # level 1 only: no pair
        f"A3,{q},SAG-3,k,1,2025-03-05,child_conversation,ja,",
        # level 2 in April: outside the period
        f"B3,{q},SAG-3,j,2,2025-04-01,child_conversation,ja,",
    ]
    data = ("\n".join((HEADER, *rows)) + "\n").encode()
    reviews_import_file(data=data, municipality=municipality)
    out = io.StringIO()
    call_command("reviews", "agreement", "--period", "2025-03", stdout=out)
    # child_conversation: pairs (ja, ja), (ja, nej): agreement 1/2; κ: p_e = 1·1/2 = 1/2 → 0;
    # AC1: π_ja = 3/4, π_nej = 1/4, p_e = (2·3/16)/3 = 1/8 → (1/2 − 1/8)/(7/8) = 3/7
    # bisidder_informed: one pair (ja, nej): agreement 0, κ: p_e = 0 → 0; AC1: p_e = 1/6 → −1/5
    assert out.getvalue().splitlines() == [
        "requirement,pairs,agreement,kappa,ac1",
        "monthly_case_review.bisidder_informed,1,0.0000,0.0000,-0.2000",
        "monthly_case_review.child_conversation,2,0.5000,0.0000,0.4286",
    ]
    target = tmp_path / "enighed.xlsx"
    call_command("reviews", "agreement", "--period", "2025Q1", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).worksheets[0]
    assert [c.value for c in sheet[1]] == ["requirement", "pairs", "agreement", "kappa", "ac1"]
    assert sheet.max_row == 3
    out = io.StringIO()
    call_command("reviews", "agreement", "--period", "2025-04", stdout=out)
    assert out.getvalue().splitlines() == ["requirement,pairs,agreement,kappa,ac1"]
    with pytest.raises(Failed, match=r"(?i)periode"):
        call_command("reviews", "agreement", "--period", "april")
