"""Udvælgelsesgrundlag (eligibility, issue 13 §1, ADR 0030): which cases a part's frame holds, judged as
of the period's first day, never as of the day the draw runs.

The rules are a part's `eligibility` (stored with each sample):

- ``open_obligation``: a case with an obligation (forpligtelse) open on the period's first day `S`: it had
  arisen (its trigger event's day is before `S`; an obligation without a stored trigger counts from its
  `period_start`, else from its `due_day`), and was neither met (its satisfying event's day is `S` or later,
  or there is none) nor released (likewise) before `S`. An obligation that never applied
  (`not_applicable` without a releasing event) never counts. Met late after `S` still counts as open.
- ``decision_months`` N: or a decision on a measure (`measure_decided`) in the N months before `S`.
  With neither key, every case of the part's unit kind is in the frame.
- ``not_reviewed_months`` N: but not a case with a submitted or closed review (gennemgang, any level, not a
  calibration review) read (`reviewed_on`) in the N months before `S`.

- ``not_drawn_in_period`` (on unless false): a case already drawn into another sample of the same period
  (same period label, another part, drawn earlier) is not left out of the frame: it is drawn as any case
  and then excluded with the reason `ALREADY_DRAWN` and replaced (`draw.py`), so the sample shows it and
  `samples verify` redraws it from the stored exclusions.

`Eligibility` computes each set once per draw (one query each, for the whole municipality).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Q

from sagstilsyn.cases.models import CaseEvent, Obligation
from sagstilsyn.core.models import Municipality
from sagstilsyn.core.numbers import count_text
from sagstilsyn.law.model import ObligationStatus
from sagstilsyn.reviews.models import Review, ReviewStatus

#: The reason on a row whose case another sample of the same period already holds.
ALREADY_DRAWN = "allerede udtrukket i perioden"
#: Review statuses that count as read for ``not_reviewed_months``.
READ_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.CLOSED)


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` months before `day`'s month."""
    month_index = day.year * 12 + day.month - 1 - months
    return date(month_index // 12, month_index % 12 + 1, 1)


def open_at_filter(start: date) -> Q:
    """Obligations open on `start` (see the module's rule), as a filter on Obligation."""
    arisen = (
        Q(trigger_event__day__lt=start)
        | Q(trigger_event__isnull=True, period_start__lt=start)
        | Q(trigger_event__isnull=True, period_start__isnull=True, due_day__lt=start)
    )
    not_met = Q(satisfied_event__isnull=True) | Q(satisfied_event__day__gte=start)
    not_released = Q(released_event__isnull=True) | Q(released_event__day__gte=start)
    applied = ~Q(status=ObligationStatus.NOT_APPLICABLE.value) | Q(released_event__day__gte=start)
    return arisen & not_met & not_released & applied


class Eligibility:
    """The eligibility sets of one municipality, each computed once (by the period's first day)."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self._memo: dict[tuple[Any, ...], frozenset[int]] = {}

    def _get(self, key: tuple[Any, ...], compute: Callable[[], Iterable[int]]) -> frozenset[int]:
        if key not in self._memo:
            self._memo[key] = frozenset(compute())
        return self._memo[key]

    def open_at(self, start: date) -> frozenset[int]:
        """Ids of the cases with an obligation open on `start`."""
        return self._get(
            ("open", start),
            lambda: (
                Obligation.objects.filter(case__municipality=self.municipality)
                .filter(open_at_filter(start))
                .values_list("case_id", flat=True)
                .distinct()
            ),
        )

    def decided(self, start: date, months: int) -> frozenset[int]:
        """Ids of the cases with a decision on a measure in the `months` months before `start`."""
        return self._get(
            ("decided", start, months),
            lambda: (
                CaseEvent.objects.filter(
                    municipality=self.municipality,
                    type="measure_decided",
                    day__gte=months_before(start, months),
                    day__lt=start,
                )
                .values_list("case_id", flat=True)
                .distinct()
            ),
        )

    def reviewed(self, start: date, months: int) -> frozenset[int]:
        """Ids of the cases read (a submitted or closed review) in the `months` months before `start`."""
        return self._get(
            ("reviewed", start, months),
            lambda: (
                Review.objects.filter(
                    municipality=self.municipality,
                    status__in=READ_STATUSES,
                    calibration_case__isnull=True,
                    reviewed_on__gte=months_before(start, months),
                    reviewed_on__lt=start,
                )
                .values_list("case_id", flat=True)
                .distinct()
            ),
        )

    def admits(self, rules: Mapping[str, Any], start: date) -> Callable[[int], bool]:
        """A test on a case id: is the case in the frame under `rules` for a period starting `start`."""
        wanted: set[int] | None = None
        if rules.get("open_obligation"):
            wanted = set(self.open_at(start))
        months = rules.get("decision_months")
        if months:
            wanted = (wanted or set()) | self.decided(start, int(months))
        not_reviewed = rules.get("not_reviewed_months")
        left_out = self.reviewed(start, int(not_reviewed)) if not_reviewed else frozenset()
        if wanted is None:
            return lambda case_id: case_id not in left_out
        chosen = frozenset(wanted - left_out)
        return chosen.__contains__


def not_drawn_in_period(rules: Mapping[str, Any] | None) -> bool:
    """Whether a case another sample of the period holds is excluded (on unless the rules say false)."""
    return bool((rules or {}).get("not_drawn_in_period", True))


def _months(value: Any) -> str:
    return count_text(int(value), "måned", "måneder")


def eligibility_text(rules: Mapping[str, Any] | None) -> str:
    """The eligibility in Danish words, for pages and exports: which cases enter the frame, which are
    left out, and that a case already drawn in the period is excluded and replaced."""
    rules = rules or {}
    ways: list[str] = []
    if rules.get("open_obligation"):
        ways.append("en åben forpligtelse ved periodens start")
    if rules.get("decision_months"):
        months = _months(rules["decision_months"])
        ways.append(f"en afgørelse om foranstaltning inden for {months} før periodens start")
    sentences = ["Sager med " + " eller ".join(ways) + "." if ways else "Alle sager."]
    if rules.get("not_reviewed_months"):
        months = _months(rules["not_reviewed_months"])
        sentences.append(f"Ikke sager, der er gennemgået inden for {months} før periodens start.")
    if not_drawn_in_period(rules):
        sentences.append(
            "En sag, der allerede er udtrukket til en anden stikprøve i samme periode, udelades og erstattes."
        )
    return " ".join(sentences)
