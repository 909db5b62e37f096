"""Set a municipality's compliance standard (målsætning): administrators only, every problem named in
Danish, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sagstilsyn.core.access import can_administer, user_scope
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.reports.models import ComplianceStandard
from sagstilsyn.reports.standards.selectors import Standard, standard_of


class StandardRefused(Exception):
    """The standard was not set; `problems` names each wrong value in Danish."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


def _problems(target: float, lower: float, alpha: float, beta: float) -> list[str]:
    problems = []
    for label, value in (("Målsætning", target), ("Nedre tærskel", lower)):
        if not 0 < value < 1:
            problems.append(f"{label}: {value:.0%} skal ligge mellem 0 % og 100 % (begge udelukket)")
    if 0 < lower < 1 and 0 < target < 1 and lower >= target:
        problems.append(f"Nedre tærskel: {lower:.0%} skal ligge under målsætningen på {target:.0%}")
    for label, value in (("Risiko alfa", alpha), ("Risiko beta", beta)):
        if not 0 < value < 0.5:
            problems.append(f"{label}: {value:.0%} skal ligge mellem 0 % og 50 % (begge udelukket)")
    return problems


@transaction.atomic
def standard_set(
    *,
    municipality: Municipality,
    target: float,
    lower: float,
    actor: User,
    alpha: float | None = None,
    beta: float | None = None,
) -> Standard:
    """Set the municipality's target and LQAS thresholds (shares in [0, 1]); the risks stay as they are
    unless given. Raises StandardRefused, writing nothing, if a value is wrong or the actor may not."""
    scope = user_scope(actor)
    if not can_administer(scope) or scope.municipality_id != municipality.pk:
        raise StandardRefused("Kun kommunens administrator kan ændre målsætningen")
    before = standard_of(municipality)
    alpha = before.alpha if alpha is None else alpha
    beta = before.beta if beta is None else beta
    problems = _problems(target, lower, alpha, beta)
    if problems:
        raise StandardRefused("; ".join(problems), problems)
    ComplianceStandard.objects.update_or_create(
        municipality=municipality,
        defaults={
            "target": target,
            "lower": lower,
            "alpha": alpha,
            "beta": beta,
            "changed_at": timezone.now(),
            "changed_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="compliance_standard_set",
        municipality=municipality,
        target_type="compliance_standard",
        target_label=f"målsætning {target:.0%}",
        before={"target": before.target, "lower": before.lower, "alpha": before.alpha, "beta": before.beta},
        after={"target": target, "lower": lower, "alpha": alpha, "beta": beta},
    )
    return standard_of(municipality)
