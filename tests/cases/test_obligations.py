"""Stored obligations: recompute and the daily overdue job."""

from __future__ import annotations

from datetime import date

import pytest

from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.services.obligations import obligations_mark_overdue, obligations_recompute
from sagstilsyn.core.models import AuditEvent
from tests.factories import case_of, event, make_municipality, make_unit, record

pytestmark = pytest.mark.django_db


def test_mark_overdue_turns_open_into_overdue_when_the_day_has_passed() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("e1", "need_noticed", date(2024, 1, 10)))
    obligations_recompute(case_ids=[case_of(municipality).pk], as_of=date(2024, 1, 11))
    obligation = Obligation.objects.get(rule_id="investigation_deadline")
    assert obligation.status == "open" and obligation.due_day == date(2024, 5, 10)
    assert obligations_mark_overdue(as_of=date(2024, 5, 10)) == 0
    changed = obligations_mark_overdue(as_of=date(2024, 5, 11))
    assert changed >= 1
    obligation.refresh_from_db()
    assert obligation.status == "overdue"
    assert AuditEvent.objects.filter(action="obligations.mark_overdue").count() == 2


def test_recompute_as_of_a_date_judges_statuses_on_that_date() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("e1", "need_noticed", date(2024, 1, 10)))
    case = case_of(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 5, 10))
    assert Obligation.objects.get(rule_id="investigation_deadline").status == "open"
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 5, 11))
    assert Obligation.objects.get(rule_id="investigation_deadline").status == "overdue"
    assert Obligation.objects.get(rule_id="investigation_deadline").judged_on == date(2024, 5, 11)
