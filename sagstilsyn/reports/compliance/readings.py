"""Aflæsninger (readings): each compliance figure as a screen or a report should show it — beside the
same figure for the period before, with the change marked only when a test says so at 5 % and the two
are comparable, the LQAS traffic light where n is small, and the risk flag against the municipality's
target (issue 14 §2 and §4; ADR 0036, 0037). One place, so the dashboards and the committee report agree.

- The previous period is the one of the same kind just before (2025Q1 before 2025Q2, 2024 before 2025).
- Comparable when the figure and its predecessor rest on the same versions: for the data pillar the
  rule versions (by the day each took effect) of the obligations counted, for the review pillar the
  questionnaire versions of the reviews counted; a version taking effect inside the two periods also
  breaks the comparison (the law change of 1 January 2024 above all).
- The change test: Agresti–Caffo on numerator/n for unweighted figures; for a weighted figure, a Wald
  test on the difference of the two estimates with standard errors read back from their intervals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from scipy.stats import norm

from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.models import Municipality
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.reports.compliance.composite import COMPOSITE, CORE_RULES
from sagstilsyn.reports.compliance.figures import Figure, Pillar
from sagstilsyn.reports.compliance.selectors import compliance_figures
from sagstilsyn.reports.standards import Standard, standard_of
from sagstilsyn.reports.statistics import (
    Z95,
    Comparability,
    Difference,
    Interval,
    LqasClass,
    Version,
    VersionKind,
    comparability,
    difference_test,
    low_n,
)
from sagstilsyn.reports.statistics.intervals import ALPHA
from sagstilsyn.reviews.models import Review, ReviewStatus
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.questionnaire_store import (
    QuestionnaireMissing,
    questionnaire_get,
    questionnaires_in_use,
)

#: The composite's Danish name.
COMPOSITE_TITLE = "Barnet fik alle kernekrav opfyldt til tiden (sammensat mål)"

#: (requirement, unit, pillar): one cell of the compliance table.
CellKey = tuple[str, str, Pillar]


@dataclass(frozen=True, slots=True)
class Reading:
    """One figure with what a reader needs to judge it (see the module docstring)."""

    figure: Figure
    title: str
    previous: Figure | None
    comparability: Comparability | None
    change: Difference | None
    low_n: bool
    light: LqasClass | None
    risk: bool

    @property
    def interval(self) -> Interval:
        return Interval(self.figure.low, self.figure.high)

    @property
    def significant_change(self) -> bool:
        return self.change is not None and self.change.significant

    @property
    def comparable(self) -> bool:
        return self.comparability is None or self.comparability.comparable


def period_before(period: Period) -> Period:
    """The period of the same kind just before `period`."""
    if period.kind == "year":
        return Period("year", period.year - 1, 0)
    last = 12 if period.kind == "month" else 4
    if period.number == 1:
        return Period(period.kind, period.year - 1, last)
    return Period(period.kind, period.year, period.number - 1)


def requirement_title(requirement: str) -> str:
    """The Danish name of a requirement: the rule's title, or the question's text for a review
    requirement (`questionnaire.question`, the newest version that has the question)."""
    if requirement == COMPOSITE:
        return COMPOSITE_TITLE
    if "." not in requirement:
        try:
            return catalogue_get().rule(requirement).title
        except KeyError:
            return requirement
    questionnaire_id, question_id = requirement.split(".", 1)
    for questionnaire in sorted(questionnaires_in_use(), key=lambda q: -q.version):
        if questionnaire.id == questionnaire_id:
            try:
                return questionnaire.question(question_id).text
            except KeyError:
                continue
    return requirement


def _rule_versions(municipality: Municipality, start: date, end: date) -> dict[str, set[Version]]:
    rows = (
        Obligation.objects.filter(case__municipality=municipality, due_day__gte=start, due_day__lte=end)
        .values_list("rule_id", "rule_version__valid_from")
        .distinct()
        .order_by()
    )
    found: dict[str, set[Version]] = defaultdict(set)
    for rule_id, valid_from in rows:
        found[rule_id].add(Version(VersionKind.RULE, rule_id, valid_from.isoformat(), valid_from))
    return found


def _questionnaire_versions(municipality: Municipality, start: date, end: date) -> dict[str, set[Version]]:
    rows = (
        Review.objects.filter(
            municipality=municipality,
            reviewed_on__gte=start,
            reviewed_on__lte=end,
            status__in=(ReviewStatus.SUBMITTED, ReviewStatus.CLOSED),
        )
        .values_list("questionnaire", "questionnaire_version")
        .distinct()
        .order_by()
    )
    found: dict[str, set[Version]] = defaultdict(set)
    for questionnaire_id, number in rows:
        try:
            valid_from = questionnaire_get(questionnaire_id, number).valid_from
        except QuestionnaireMissing:
            valid_from = start
        found[questionnaire_id].add(
            Version(VersionKind.QUESTIONNAIRE, questionnaire_id, str(number), valid_from)
        )
    return found


@dataclass(frozen=True, slots=True)
class _Versions:
    rules: dict[str, set[Version]]
    questionnaires: dict[str, set[Version]]

    def of(self, figure: Figure) -> set[Version]:
        if figure.requirement == COMPOSITE:  # resting on every core rule's versions
            return {version for rule in CORE_RULES for version in self.rules.get(rule, set())}
        if figure.pillar == "data":
            return self.rules.get(figure.requirement, set())
        return self.questionnaires.get(figure.requirement.split(".", 1)[0], set())


def _versions(municipality: Municipality, period: Period) -> _Versions:
    return _Versions(
        _rule_versions(municipality, period.start, period.end),
        _questionnaire_versions(municipality, period.start, period.end),
    )


def _standard_error(figure: Figure) -> float:
    """A weighted figure's standard error, read back from its symmetric linearisation interval."""
    return (figure.high - figure.low) / (2 * Z95)


def change_test(current: Figure, previous: Figure) -> Difference:
    """The change from `previous` to `current` (current minus previous) and whether it is significant."""
    if not (current.weighted or previous.weighted):
        return difference_test(current.numerator, current.n, previous.numerator, previous.n)
    difference = current.share - previous.share
    spread = math.hypot(_standard_error(current), _standard_error(previous))
    if spread == 0:
        p_value = 1.0 if difference == 0 else 0.0
    else:
        p_value = float(2 * norm.sf(abs(difference) / spread))
    return Difference(
        difference=difference,
        interval=Interval(max(-1.0, difference - Z95 * spread), min(1.0, difference + Z95 * spread)),
        p_value=p_value,
        significant=p_value < ALPHA,
    )


def figure_reading(
    figure: Figure,
    standard: Standard,
    previous: Figure | None = None,
    comparable: Comparability | None = None,
    titles: dict[str, str] | None = None,
) -> Reading:
    """`figure` read against `standard` and, when given and comparable, the period before (without
    one, as units side by side are shown: no change). `titles` caches the requirements' names."""
    few = low_n(figure.n)
    change = (
        change_test(figure, previous)
        if previous is not None and comparable and comparable.comparable
        else None
    )
    names = titles if titles is not None else {}
    title = names.get(figure.requirement)
    if title is None:
        title = names[figure.requirement] = requirement_title(figure.requirement)
    return Reading(
        figure=figure,
        title=title,
        previous=previous,
        comparability=comparable,
        change=change,
        low_n=few,
        light=standard.traffic_light(figure.numerator, figure.n) if few and not figure.weighted else None,
        risk=standard.is_risk(Interval(figure.low, figure.high)),
    )


def _by_key(figures: Iterable[Figure]) -> dict[CellKey, Figure]:
    return {(f.requirement, f.unit, f.pillar): f for f in figures}


def compliance_readings(
    *,
    municipality: Municipality,
    period: Period,
    as_of: date,
    unit: str | None = None,
    standard: Standard | None = None,
) -> list[Reading]:
    """Every figure of `period` (both pillars, sorted as the export) as a Reading against the period
    before, both judged on `as_of`; only `unit`'s rows when given."""
    return compliance_readings_over(
        municipality=municipality, periods=[period], as_of=as_of, unit=unit, standard=standard
    )[period.label]


def compliance_readings_over(
    *,
    municipality: Municipality,
    periods: Sequence[Period],
    as_of: date,
    unit: str | None = None,
    standard: Standard | None = None,
    composite: bool = False,
) -> dict[str, list[Reading]]:
    """`compliance_readings` for each of `periods` (by label), each period's figures computed once even
    where it is also another's period before (a trend of consecutive quarters costs one more period,
    not twice as many). With `composite`, the per-child composite (`barn_samlet`) is read too."""
    chosen = standard if standard is not None else standard_of(municipality)
    figures: dict[Period, list[Figure]] = {}
    versions: dict[Period, _Versions] = {}

    def known(period: Period) -> tuple[list[Figure], _Versions]:
        if period not in figures:
            figures[period] = compliance_figures(
                municipality=municipality,
                start=period.start,
                end=period.end,
                as_of=as_of,
                unit=unit,
                composite=composite,
            )
            versions[period] = _versions(municipality, period)
        return figures[period], versions[period]

    titles: dict[str, str] = {}
    found: dict[str, list[Reading]] = {}
    for period in sorted(periods, key=Period.sort_key):
        before = period_before(period)
        earlier_figures, versions_before = known(before)
        current, versions_now = known(period)
        previous = _by_key(earlier_figures)
        readings = []
        for figure in current:
            earlier = previous.get((figure.requirement, figure.unit, figure.pillar))
            comparable = None
            if earlier is not None:
                comparable = comparability(
                    versions_now.of(figure), versions_before.of(earlier), span=(before.start, period.end)
                )
            readings.append(figure_reading(figure, chosen, earlier, comparable, titles))
        found[period.label] = readings
    return found


def compliance_series(
    *, municipality: Municipality, periods: Sequence[Period], as_of: date, unit: str | None = None
) -> dict[str, list[Figure]]:
    """The figures of each of `periods` (by period label), judged on `as_of`: the points of a trend."""
    return {
        period.label: compliance_figures(
            municipality=municipality, start=period.start, end=period.end, as_of=as_of, unit=unit
        )
        for period in periods
    }
