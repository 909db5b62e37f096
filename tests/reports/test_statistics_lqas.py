"""The LQAS traffic light: the binomial decision rule, the classic 19/13 design and the low-n flag."""

from __future__ import annotations

import pytest

from sagstilsyn.reports.statistics import LOW_N, LqasClass, low_n, lqas_classify, lqas_rule

TARGET, THRESHOLD = 0.80, 0.50


def test_the_classic_design_is_13_of_19() -> None:
    """peers.md §6.4: n = 19, target 80 %, threshold 50 %: at standard from 13 complying cases."""
    rule = lqas_rule(19, upper=TARGET, lower=THRESHOLD)
    assert (rule.at_standard_from, rule.below_standard_up_to) == (13, 12)
    assert lqas_classify(13, 19, upper=TARGET, lower=THRESHOLD) is LqasClass.AT_STANDARD
    assert lqas_classify(12, 19, upper=TARGET, lower=THRESHOLD) is LqasClass.BELOW_STANDARD


def test_stricter_risks_leave_the_classic_design_undecided_in_the_middle() -> None:
    """The design's risks are 6.8 % and 8.4 %: at 5 % neither 12 nor 13 of 19 decides."""
    rule = lqas_rule(19, upper=TARGET, lower=THRESHOLD, alpha=0.05, beta=0.05)
    assert rule.classify(12) is LqasClass.INDETERMINATE
    assert rule.classify(13) is LqasClass.INDETERMINATE
    assert rule.classify(19) is LqasClass.AT_STANDARD
    assert rule.classify(9) is LqasClass.BELOW_STANDARD


@pytest.mark.parametrize(
    ("successes", "expected"),
    [(10, LqasClass.AT_STANDARD), (8, LqasClass.AT_STANDARD), (7, LqasClass.INDETERMINATE),
     (6, LqasClass.INDETERMINATE), (5, LqasClass.BELOW_STANDARD), (0, LqasClass.BELOW_STANDARD)],
)  # fmt: skip
def test_ten_cases_open_a_middle_band(successes: int, expected: LqasClass) -> None:
    """n = 10: P(X ≥ 8 | 50 %) = 5.5 % ≤ 10 %; P(X ≤ 5 | 80 %) = 3.3 % ≤ 10 % but P(X ≤ 6 | 80 %) = 12 %."""
    assert lqas_classify(successes, 10, upper=TARGET, lower=THRESHOLD) is expected


def test_many_cases_between_the_thresholds_are_below_the_target() -> None:
    """With 1000 cases 65 % is clearly above the threshold and clearly below the target: below standard."""
    assert lqas_classify(650, 1000, upper=TARGET, lower=THRESHOLD) is LqasClass.BELOW_STANDARD
    assert lqas_classify(790, 1000, upper=TARGET, lower=THRESHOLD) is LqasClass.AT_STANDARD


def test_the_labels_are_danish() -> None:
    assert [c.label for c in LqasClass] == ["Lever op til standarden", "Uafklaret", "Under standarden"]


@pytest.mark.parametrize(
    ("n", "upper", "lower", "alpha"),
    [(0, 0.8, 0.5, 0.1), (10, 0.5, 0.8, 0.1), (10, 0.8, 0.0, 0.1), (10, 1.0, 0.5, 0.1), (10, 0.8, 0.5, 0.0)],
)
def test_bad_plans_are_refused_in_danish(n: int, upper: float, lower: float, alpha: float) -> None:
    with pytest.raises(ValueError, match=r"mindst én sag|tærskel|Risiciene"):
        lqas_rule(n, upper=upper, lower=lower, alpha=alpha)


def test_a_count_outside_the_sample_is_refused() -> None:
    with pytest.raises(ValueError, match="ugyldig andel"):
        lqas_classify(11, 10, upper=TARGET, lower=THRESHOLD)


def test_low_n_is_fewer_than_twenty() -> None:
    assert LOW_N == 20
    assert low_n(19)
    assert not low_n(20)
