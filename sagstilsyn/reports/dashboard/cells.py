"""En celle på instrumentbrættet (a dashboard cell): one figure as a screen reads it — with the period
before, the change only when comparable and tested, the LQAS traffic light and the "få sager" flag
where n is small, and the risk flag when the whole interval lies under the municipality's target.

Comparability ("Ikke sammenlignelig") is judged from the versions in the catalogue and the questionnaires:
a version of the rule (data pillar) or of the questionnaire (review pillar) that took effect after the
previous period began and no later than this period's end breaks the comparison — the law change of
1 January 2024 above all (`reports.statistics.comparability`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.reports.compliance.figures import Figure
from sagstilsyn.reports.standards import Standard
from sagstilsyn.reports.statistics import (
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
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure on a screen. `change` is set only when there is a comparable previous figure and both
    are unweighted; `light` only when n is small; `risk` when the interval lies wholly under the target."""

    figure: Figure
    previous: Figure | None
    change: Difference | None
    comparable: Comparability | None
    low_n: bool
    light: LqasClass | None
    risk: bool

    @property
    def significant(self) -> bool:
        return self.change is not None and self.change.significant

    @property
    def direction(self) -> str:
        """'op' or 'ned' for a significant change, '' otherwise."""
        if not self.significant or self.change is None:
            return ""
        return "op" if self.change.difference > 0 else "ned"

    @property
    def not_comparable(self) -> bool:
        return self.comparable is not None and not self.comparable.comparable

    @property
    def light_key(self) -> str:
        """The light as a CSS/key word: 'at', 'indeterminate', 'below', '' without a light."""
        if self.light is None:
            return ""
        return {
            LqasClass.AT_STANDARD: "at",
            LqasClass.INDETERMINATE: "indeterminate",
            LqasClass.BELOW_STANDARD: "below",
        }[self.light]


def requirement_versions(requirement: str) -> list[Version]:
    """The versions a requirement's figures may rest on: a rule's versions, or a questionnaire's."""
    if "." in requirement:
        questionnaire_id = requirement.split(".", 1)[0]
        return [
            Version(VersionKind.QUESTIONNAIRE, q.id, str(q.version), q.valid_from)
            for q in questionnaires_in_use()
            if q.id == questionnaire_id
        ]
    try:
        rule = catalogue_get().rule(requirement)
    except KeyError:
        return []
    return [Version(VersionKind.RULE, rule.id, v.valid_from.isoformat(), v.valid_from) for v in rule.versions]


def comparison_of(requirement: str, *, first_day: date, last_day: date) -> Comparability:
    """Whether figures of `requirement` from `first_day` to `last_day` may be compared."""
    versions = requirement_versions(requirement)
    return comparability(versions, versions, span=(first_day, last_day))


def cell_make(
    figure: Figure,
    *,
    previous: Figure | None,
    standard: Standard,
    comparable: Comparability | None,
) -> Cell:
    """The cell of `figure` against the period before (`previous`, may be None) and the standard."""
    change = None
    if (
        previous is not None
        and comparable is not None
        and comparable.comparable
        and not figure.weighted
        and not previous.weighted
    ):
        change = difference_test(figure.numerator, figure.n, previous.numerator, previous.n)
    small = low_n(figure.n)
    return Cell(
        figure=figure,
        previous=previous,
        change=change,
        comparable=comparable if previous is not None else None,
        low_n=small,
        light=standard.traffic_light(figure.numerator, figure.n) if small else None,
        risk=standard.is_risk(Interval(figure.low, figure.high)),
    )
