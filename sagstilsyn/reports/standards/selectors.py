"""Read a municipality's compliance standard (målsætning), or the default where it has set none."""

from __future__ import annotations

from dataclasses import dataclass

from sagstilsyn.core.models import Municipality
from sagstilsyn.reports.models import ComplianceStandard
from sagstilsyn.reports.statistics import Interval, LqasClass, LqasRule, lqas_rule
from sagstilsyn.reports.statistics.lqas import DEFAULT_ALPHA, DEFAULT_BETA


@dataclass(frozen=True, slots=True)
class Standard:
    """The target share a requirement should reach, the LQAS lower threshold, and the traffic light's
    risks (shares in [0, 1]); `custom` is False while the municipality uses the defaults."""

    target: float
    lower: float
    alpha: float = DEFAULT_ALPHA
    beta: float = DEFAULT_BETA
    custom: bool = False

    def traffic_light(self, successes: int, n: int) -> LqasClass:
        """The LQAS class of `successes` of `n` against this standard."""
        return self.rule(n).classify(successes)

    def rule(self, n: int) -> LqasRule:
        return lqas_rule(n, upper=self.target, lower=self.lower, alpha=self.alpha, beta=self.beta)

    def is_risk(self, interval: Interval) -> bool:
        """A risikoområde: the whole 95 % interval lies below the target (the shortfall is not chance)."""
        return interval.high < self.target

    def clears(self, interval: Interval) -> bool:
        """The target is met beyond chance: the whole 95 % interval lies at or above it (how an action
        plan is judged "opfyldt")."""
        return interval.low >= self.target


#: Until a municipality sets its own: 90 % should comply; a unit at 60 % should show as below standard.
DEFAULT_STANDARD = Standard(target=0.90, lower=0.60)


def standard_of(municipality: Municipality) -> Standard:
    """The municipality's standard, or DEFAULT_STANDARD where it has set none."""
    row = ComplianceStandard.objects.filter(municipality=municipality).first()
    if row is None:
        return DEFAULT_STANDARD
    return Standard(target=row.target, lower=row.lower, alpha=row.alpha, beta=row.beta, custom=True)
