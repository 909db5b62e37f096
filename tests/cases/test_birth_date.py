"""The child's birth date: the 16th birthday it gives (ungeplan), stored, recomputed and warned about."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.selectors.cases import (
    BIRTH_DATE_MISSING,
    case_obligations,
    case_timeline,
    case_warnings,
)
from sagstilsyn.cases.services.event_inputs import EventInput, EventsRejected
from sagstilsyn.cases.services.obligations import obligations_recompute
from sagstilsyn.core.models import Role
from tests.factories import case_of, event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db


def _measure(birth_date: date | None = None) -> list[EventInput]:
    return [
        event("m1", "measure_started", date(2023, 5, 1), attrs={"measure": "support"}, birth_date=birth_date)
    ]


def test_the_16th_birthday_is_a_stored_obligation_without_a_trigger_event() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, *_measure(birth_date=date(2008, 3, 10)))
    case = case_of(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 7, 1))
    obligation = Obligation.objects.get(case=case, rule_id="youth_plan")
    assert obligation.trigger_event_id is None
    assert (obligation.due_day, obligation.status) == (date(2024, 6, 10), "overdue")
    assert (
        obligation.explanation
        == "Frist: senest 10. juni 2024, 3 måneder efter 16-årsdagen den 10. marts 2024."
    )
    # A second recompute keeps the row: a null trigger compares equal to a null trigger.
    pk = obligation.pk
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 7, 1))
    assert Obligation.objects.get(case=case, rule_id="youth_plan").pk == pk


def test_a_birth_date_added_by_a_later_import_recomputes_the_childs_cases() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, *_measure())
    case = case_of(municipality)
    assert not Obligation.objects.filter(case=case, rule_id="youth_plan").exists()
    assert case_warnings(case=case) == (BIRTH_DATE_MISSING,)
    # The same event again, now with the birth date: no event changes, but the birthday does.
    result = record(municipality, *_measure(birth_date=date(2008, 3, 10)))
    assert result.cases_recomputed == 1
    assert Obligation.objects.filter(case=case, rule_id="youth_plan").exists()
    case.refresh_from_db()
    assert case_warnings(case=case_of(municipality)) == ()


def test_a_derived_event_cannot_be_imported() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    with pytest.raises(EventsRejected) as caught:
        record(municipality, event("b1", "turned_16", date(2024, 3, 10)))
    [error] = caught.value.errors
    assert error.column == "type"
    assert "fødselsdato" in error.message


def test_the_case_page_warns_when_the_birth_date_is_missing(client: Client) -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    record(municipality, *_measure())
    user = make_user(municipality, Role.AREA_LAWYER, unit)
    client.force_login(user)
    html = client.get(f"/sager/{case_of(municipality).pk}/").content.decode()
    assert "Fødselsdato mangler" in html
    assert "ungeplan" in html


def test_the_case_page_shows_the_16th_birthday_as_a_derived_event(client: Client) -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    record(municipality, *_measure(birth_date=date(2008, 3, 10)))
    client.force_login(make_user(municipality, Role.AREA_LAWYER, unit))
    html = client.get(f"/sager/{case_of(municipality).pk}/").content.decode()
    assert 'id="afledt-turned_16"' in html
    assert "Den unge fylder 16 år" in html
    assert "beregnet ud fra barnets fødselsdato" in html
    assert "Fødselsdato mangler" not in html


def test_an_unmet_obligation_is_never_shown_as_met_by_the_derived_birthday() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, *_measure(birth_date=date(2008, 3, 10)))
    case = case_of(municipality)
    obligations_recompute(case_ids=[case.pk], as_of=date(2024, 7, 1))
    timeline = case_timeline(case=case)
    assert any(row.id == 0 and row.type == "turned_16" for row in timeline)
    rows = case_obligations(case=case, timeline=timeline)
    unmet = [row for row in rows if row.status in ("open", "overdue")]
    assert unmet
    assert all(row.satisfied_by is None and row.released_by is None for row in unmet)
