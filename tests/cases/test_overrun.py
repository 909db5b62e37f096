"""Begrundelse for overskridelse: recorded by the case's unit, acknowledged by a line leader, audited,
kept through recomputes, and refused where it does not belong."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sagstilsyn.cases.models import Case, Obligation, OverrunReason
from sagstilsyn.cases.overrun.selectors import (
    overrun_reasons_for,
    overrun_xlsx_cells,
    reason_for,
)
from sagstilsyn.cases.overrun.services import OverrunError, overrun_reason_acknowledge, overrun_reason_record
from sagstilsyn.cases.overrun.views import parse_planned_day
from sagstilsyn.core.models import AuditEvent, Municipality, Role, Unit, User
from sagstilsyn.law.calendar import today_local
from sagstilsyn.law.model import ObligationStatus
from tests.factories import event, make_case, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db


class World:
    def __init__(self) -> None:
        self.municipality: Municipality = make_municipality()
        self.unit: Unit = make_unit(self.municipality, "BFE-NORD")
        self.other_unit: Unit = make_unit(self.municipality, "BFE-SYD")
        self.caseworker: User = make_user(self.municipality, Role.CASEWORKER, self.unit, username="sb")
        self.leader: User = make_user(self.municipality, Role.DEPARTMENT_LEADER, self.unit, username="leder")
        self.coordinator: User = make_user(self.municipality, Role.COORDINATOR, self.unit, username="koord")
        self.other_leader: User = make_user(
            self.municipality, Role.DEPARTMENT_LEADER, self.other_unit, username="syd"
        )
        self.lawyer: User = make_user(self.municipality, Role.CENTRE_LAWYER, username="jurist")
        self.case: Case = make_case(self.municipality, "SAG-1", caseworker="sb")

    def overdue(self) -> Obligation:
        return Obligation.objects.select_related("case").get(case=self.case, rule_id="investigation_deadline")


@pytest.fixture
def world() -> World:
    return World()


def test_a_caseworker_records_a_reason_and_it_is_audited(world: World) -> None:
    obligation = world.overdue()
    assert obligation.status == ObligationStatus.OVERDUE
    planned = today_local() + timedelta(days=14)
    overrun_reason_record(
        user=world.caseworker,
        obligation=obligation,
        text="Ventede på skolens udtalelse.",
        planned_day=planned,
    )
    reasons = overrun_reasons_for([obligation])
    view = reason_for(reasons, obligation)
    assert view is not None
    assert view.text == "Ventede på skolens udtalelse."
    assert view.planned_day == planned
    assert view.recorded_by_name == "Test caseworker"
    assert not view.acknowledged
    audit = AuditEvent.objects.get(action="overrun.reason")
    assert audit.actor == world.caseworker
    assert audit.after == {"text": "Ventede på skolens udtalelse.", "planned_day": planned.isoformat()}


def test_a_leader_acknowledges_and_a_changed_reason_must_be_acknowledged_again(world: World) -> None:
    obligation = world.overdue()
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Sygdom i teamet.")
    overrun_reason_acknowledge(user=world.leader, obligation=obligation)
    view = reason_for(overrun_reasons_for([obligation]), obligation)
    assert view is not None
    assert view.acknowledged
    assert view.acknowledged_by_name == "Test department_leader"
    assert AuditEvent.objects.filter(action="overrun.acknowledge", actor=world.leader).count() == 1
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Sygdom i teamet og ferie.")
    view = reason_for(overrun_reasons_for([obligation]), obligation)
    assert view is not None
    assert not view.acknowledged
    audit = AuditEvent.objects.filter(action="overrun.reason").order_by("-id").first()
    assert audit is not None
    assert audit.before == {
        "text": "Sygdom i teamet.",
        "planned_day": None,
        "acknowledged": True,
    }


def test_the_same_reason_again_writes_nothing_and_keeps_the_acknowledgement(world: World) -> None:
    obligation = world.overdue()
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Sygdom.")
    overrun_reason_acknowledge(user=world.leader, obligation=obligation)
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Sygdom.")
    assert AuditEvent.objects.filter(action="overrun.reason").count() == 1
    assert OverrunReason.objects.get().acknowledged_at is not None


def test_the_reason_survives_a_recompute_that_replaces_the_obligation(world: World) -> None:
    obligation = world.overdue()
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Forsinket af lægeerklæring.")
    record(
        world.municipality,
        event(
            "101-SAG-1-9",
            "investigation_completed",
            today_local() - timedelta(days=1),
            case_id="SAG-1",
            child_id="BARN-SAG-1",
            caseworker="sb",
        ),
    )
    replaced = world.overdue()
    assert replaced.status == ObligationStatus.MET_LATE
    view = reason_for(overrun_reasons_for([replaced]), replaced)
    assert view is not None
    assert view.text == "Forsinket af lægeerklæring."


@pytest.mark.parametrize(
    ("text", "planned", "message"),
    [
        ("", None, "skriv, hvorfor fristen er overskredet"),
        ("Barnets CPR er 010218-1234", None, "CPR"),
        ("Kontroltegn \x0b her", None, r"U\+000B"),
        ("x" * 2001, None, "højst være 2000 tegn"),
        ("Ok", date(2020, 1, 1), "før i dag"),
        ("Ok", date(2099, 1, 1), "mere end et år"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_written(
    world: World, text: str, planned: date | None, message: str
) -> None:
    with pytest.raises(OverrunError, match=message):
        overrun_reason_record(
            user=world.caseworker, obligation=world.overdue(), text=text, planned_day=planned
        )
    assert not OverrunReason.objects.exists()
    assert not AuditEvent.objects.filter(action="overrun.reason").exists()


def test_a_deadline_not_overrun_takes_no_reason(world: World) -> None:
    make_case(world.municipality, "SAG-2", caseworker="sb", overdue=False)
    met = Obligation.objects.select_related("case").get(
        case__source_ref="SAG-2", rule_id="investigation_deadline"
    )
    assert met.status == ObligationStatus.MET
    with pytest.raises(OverrunError, match="ikke overskredet"):
        overrun_reason_record(user=world.caseworker, obligation=met, text="Ingen grund.")


def test_who_may_write_and_acknowledge(world: World) -> None:
    obligation = world.overdue()
    for outsider in (world.lawyer, world.other_leader):
        with pytest.raises(PermissionDenied):
            overrun_reason_record(user=outsider, obligation=obligation, text="Ikke min sag.")
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Travlt.")
    for not_a_leader in (world.caseworker, world.lawyer, world.other_leader):
        with pytest.raises(PermissionDenied):
            overrun_reason_acknowledge(user=not_a_leader, obligation=obligation)
    overrun_reason_acknowledge(user=world.coordinator, obligation=obligation)


def test_a_leader_cannot_acknowledge_their_own_reason(world: World) -> None:
    obligation = world.overdue()
    overrun_reason_record(user=world.leader, obligation=obligation, text="Vi manglede folk.")
    with pytest.raises(OverrunError, match="din egen begrundelse"):
        overrun_reason_acknowledge(user=world.leader, obligation=obligation)
    overrun_reason_acknowledge(user=world.coordinator, obligation=obligation)


def test_nothing_to_acknowledge_without_a_reason(world: World) -> None:
    with pytest.raises(OverrunError, match="ingen begrundelse"):
        overrun_reason_acknowledge(user=world.leader, obligation=world.overdue())


def test_excel_cells(world: World) -> None:
    assert overrun_xlsx_cells(None) == ("", None, "", "", None)
    obligation = world.overdue()
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Sygdom.")
    overrun_reason_acknowledge(user=world.leader, obligation=obligation)
    cells = overrun_xlsx_cells(reason_for(overrun_reasons_for([obligation]), obligation))
    assert cells[0] == "Sygdom."
    assert cells[2] == "Test caseworker"
    assert cells[3] == "Test department_leader"
    assert cells[4] is not None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", None),
        ("15.12.2026", date(2026, 12, 15)),
        ("1.2.2027", date(2027, 2, 1)),
        ("2026-12-15", date(2026, 12, 15)),
    ],
)
def test_planned_day_is_typed_the_danish_way(typed: str, expected: date | None) -> None:
    assert parse_planned_day(typed) == expected


@pytest.mark.parametrize("typed", ["31.02.2027", "i morgen", "12/15/2026"])
def test_a_planned_day_that_is_no_date_is_refused(typed: str) -> None:
    with pytest.raises(OverrunError, match="er ikke en dato"):
        parse_planned_day(typed)


# --- the page ---------------------------------------------------------------------------------------


def _url(obligation: Obligation, nxt: str = "") -> str:
    url = reverse("cases:overrun_reason", args=[obligation.pk])
    return f"{url}?next={nxt}" if nxt else url


def test_the_page_records_and_acknowledges(world: World, client: Client) -> None:
    obligation = world.overdue()
    client.force_login(world.caseworker)
    page = client.get(_url(obligation)).content.decode()
    assert "Skriv begrundelsen" in page
    assert "Kvittér" not in page
    response = client.post(
        _url(obligation, "/frister/"), {"action": "record", "text": "Afventer PPR.", "planned_day": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == "/frister/"
    client.force_login(world.leader)
    page = client.get(_url(obligation)).content.decode()
    assert "Afventer PPR." in page
    assert "Ikke kvitteret" in page
    assert "Kvittér for begrundelsen" in page
    response = client.post(_url(obligation), {"action": "acknowledge"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[world.case.pk])
    assert "Kvitteret af Test department_leader" in client.get(_url(obligation)).content.decode()


def test_the_page_refuses_a_cpr_number_and_masks_it(world: World, client: Client) -> None:
    client.force_login(world.caseworker)
    response = client.post(
        _url(world.overdue()), {"action": "record", "text": "Se 010218-1234", "planned_day": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "010218-1234" not in body
    assert "0102181234" not in body
    assert not OverrunReason.objects.exists()


def test_a_lawyer_reads_but_does_not_write(world: World, client: Client) -> None:
    obligation = world.overdue()
    overrun_reason_record(user=world.caseworker, obligation=obligation, text="Afventer PPR.")
    client.force_login(world.lawyer)
    page = client.get(_url(obligation)).content.decode()
    assert "Afventer PPR." in page
    assert "Ret begrundelsen" not in page
    assert "Kvittér" not in page
    assert client.post(_url(obligation), {"action": "record", "text": "Andet"}).status_code == 403


def test_next_never_leads_off_the_site(world: World, client: Client) -> None:
    client.force_login(world.caseworker)
    response = client.post(
        _url(world.overdue(), "https://evil.example/"), {"action": "record", "text": "Ok."}
    )
    assert response["Location"] == reverse("cases:case_detail", args=[world.case.pk])
