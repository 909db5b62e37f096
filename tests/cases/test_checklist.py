"""The oversigtsskema: automatic ticks from events and obligations, hand marks, access, the access log."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sagstilsyn.cases.checklist.items import CHECKLIST, ITEMS_BY_ID
from sagstilsyn.cases.checklist.selectors import MET, NOT_MET, UNDETERMINED, checklist_for_case
from sagstilsyn.cases.checklist.services import ChecklistError, checklist_mark_set
from sagstilsyn.cases.models import Case, ChecklistMark
from sagstilsyn.core.models import AccessLogEntry, AuditEvent, Role, Unit
from sagstilsyn.core.selectors import catalogue_get
from tests.factories import case_of, event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db

PLACEMENT = {"measure": "placement_with_consent"}


@pytest.fixture
def municipality():  # type: ignore[no-untyped-def]
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    return municipality


def _placement_case(municipality, ref: str = "SAG-1", *, investigation: date = date(2024, 3, 1)) -> Case:  # type: ignore[no-untyped-def]
    common: dict[str, Any] = {"case_id": ref, "child_id": f"BARN-{ref}"}
    record(
        municipality,
        event(f"{ref}-1", "need_noticed", date(2024, 1, 10), **common),
        event(f"{ref}-2", "investigation_completed", investigation, **common),
        event(f"{ref}-3", "child_views_obtained", date(2024, 3, 4), **common),
        event(f"{ref}-4", "measure_decided", date(2024, 3, 5), attrs=PLACEMENT, **common),
        event(f"{ref}-5", "measure_started", date(2024, 3, 10), attrs=PLACEMENT, **common),
        event(f"{ref}-6", "plan_made", date(2024, 4, 1), **common),
    )
    return case_of(municipality, ref)


def _states(case: Case) -> dict[str, str]:
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    return {status.item.id: status.auto.state for status in sheet.items}


def test_items_are_data_with_rule_ids_from_the_catalogue() -> None:

    known = {rule.id for rule in catalogue_get().rules}
    assert [item.number for item in CHECKLIST] == list(range(1, len(CHECKLIST) + 1))
    for item in CHECKLIST:
        assert item.rule_ids, item.id
        assert set(item.rule_ids) <= known, item.id
        assert set(item.auto_rules) <= set(item.rule_ids)
    assert {item.id for item in CHECKLIST if item.is_manual} == {
        "bisidder",
        "parents_rights",
        "placement_site",
        "contact",
    }


def test_auto_ticks_from_events_and_obligations(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    assert sheet.placement.measure == "placement_with_consent"
    assert sheet.placement.decided_day == date(2024, 3, 5)
    assert sheet.placement.started_day == date(2024, 3, 10)
    states = {s.item.id: s for s in sheet.items}
    assert states["child_views"].auto.state == MET
    assert [e.day for e in states["child_views"].auto.evidence] == [date(2024, 3, 4)]
    assert states["investigation"].auto.state == MET
    assert states["investigation"].auto.evidence[0].day == date(2024, 3, 1)
    assert states["plan"].auto.state == MET
    assert states["follow_up"].auto.state == NOT_MET  # no follow-up 3 months after the start
    assert states["supervisory_visits"].auto.state == NOT_MET
    for item_id in ("bisidder", "parents_rights", "placement_site", "contact"):
        assert states[item_id].auto.state == UNDETERMINED
    assert sheet.done_count == 3


def test_investigation_after_the_placement_is_not_met(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality, investigation=date(2024, 4, 15))
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    item = next(s for s in sheet.items if s.item.id == "investigation")
    assert item.auto.state == NOT_MET
    assert "efter anbringelsen" in item.auto.evidence[0].text


def test_follow_up_becomes_met_when_done(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    common: dict[str, Any] = {"case_id": "SAG-1", "child_id": "BARN-SAG-1"}
    record(municipality, event("f1", "follow_up", date(2024, 5, 20), **common))
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    follow = next(s for s in sheet.items if s.item.id == "follow_up")
    assert follow.auto.state == MET
    assert [(e.day, e.rule_id) for e in follow.auto.evidence] == [(date(2024, 5, 20), "first_follow_up")]


def test_case_without_placement_has_no_checklist(municipality) -> None:  # type: ignore[no-untyped-def]
    record(municipality, event("s1", "measure_decided", date(2024, 3, 5), attrs={"measure": "support"}))
    case = case_of(municipality)
    assert checklist_for_case(case=case) is None
    user = make_user(municipality, Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("cases:checklist", args=[case.pk])).status_code == 404
    with pytest.raises(ChecklistError):
        checklist_mark_set(case=case, item_id="bisidder", checked=True, note="x", actor=user)


def test_manual_mark_writes_an_audit_event_and_replaces_the_previous(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    user = make_user(municipality, Role.CASEWORKER)
    mark = checklist_mark_set(
        case=case, item_id="bisidder", checked=True, note="Vejledt ved samtale 4.3.", actor=user
    )
    assert mark.checked
    assert mark.marked_by == user
    event_ = AuditEvent.objects.get(action="checklist.mark")
    assert event_.before is None
    assert event_.after == {
        "item": "bisidder",
        "checked": True,
        "choice": "",
        "note": "Vejledt ved samtale 4.3.",
    }
    assert event_.actor == user
    assert event_.target_id == str(case.pk)
    checklist_mark_set(case=case, item_id="bisidder", checked=False, note="", actor=user)
    assert ChecklistMark.objects.filter(case=case).count() == 1
    latest = AuditEvent.objects.filter(action="checklist.mark").order_by("-id").first()
    assert latest is not None
    assert latest.before is not None
    assert latest.before["checked"] is True
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    assert next(s for s in sheet.items if s.item.id == "bisidder").mark is not None


def test_manual_mark_validation(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    with pytest.raises(ChecklistError, match="note"):
        checklist_mark_set(case=case, item_id="bisidder", checked=True, note="  ", actor=None)
    with pytest.raises(ChecklistError, match="klassifikation"):
        checklist_mark_set(case=case, item_id="contact", checked=True, note="Afgørelse 1.4.", actor=None)
    with pytest.raises(ChecklistError, match="ukendt"):
        checklist_mark_set(case=case, item_id="nope", checked=True, note="x", actor=None)
    mark = checklist_mark_set(
        case=case, item_id="contact", checked=True, note="Afgørelse 1.4.", choice="supervised", actor=None
    )
    assert mark.choice == "supervised"
    assert "supervised" in dict(ITEMS_BY_ID["contact"].choices)
    assert AuditEvent.objects.filter(action="checklist.mark").count() == 1


def test_page_shows_statuses_and_writes_the_access_log(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    user = make_user(municipality, Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("cases:checklist", args=[case.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for label in (
        "Opfyldt",
        "Ikke opfyldt",
        "Kan ikke afgøres automatisk",
        "4. marts 2024",
        "csrfmiddlewaretoken",
    ):
        assert label in text
    assert reverse("core:rule", args=["bisidder_informed"]) in text
    entry = AccessLogEntry.objects.get(user=user, purpose="checklist_view")
    assert entry.case_id == case.pk
    assert entry.child_id == case.child_id
    printed = client.get(reverse("cases:checklist_print", args=[case.pk]))
    assert printed.status_code == 200
    assert "@media print" not in printed.content.decode()
    assert AccessLogEntry.objects.filter(user=user, purpose="checklist_view").count() == 2


def test_post_marks_an_item_and_redirects(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    user = make_user(municipality, Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    url = reverse("cases:checklist", args=[case.pk])
    response = client.post(
        url, {"item": "placement_site", "checked": "on", "note": "Begrundet i afgørelsen."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#punkt-6")
    mark = ChecklistMark.objects.get(case=case, item_id="placement_site")
    assert mark.checked
    assert mark.note == "Begrundet i afgørelsen."
    assert mark.marked_by == user
    bad = client.post(url, {"item": "contact", "checked": "on", "note": "Uden klassifikation"})
    assert bad.status_code == 400
    assert "vælg en klassifikation" in bad.content.decode().lower()
    assert not ChecklistMark.objects.filter(case=case, item_id="contact").exists()


def test_post_without_csrf_token_is_refused(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    user = make_user(municipality, Role.CASEWORKER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = reverse("cases:checklist", args=[case.pk])
    assert client.post(url, {"item": "bisidder", "checked": "on", "note": "x"}).status_code == 403
    assert not ChecklistMark.objects.exists()


@pytest.mark.parametrize(
    ("role", "unit_code", "expected"),
    [
        (Role.CASEWORKER, "BFE-NORD", 200),
        (Role.CASEWORKER, "BFE-SYD", 404),
        (Role.AREA_CHIEF, "BFE-NORD", 200),
        (Role.AREA_CHIEF, "BFE-SYD", 404),
        (Role.CENTRE_LAWYER, None, 200),
        (Role.COMMITTEE_MEMBER, None, 403),
    ],
)
def test_access_by_role_and_unit(municipality, role: str, unit_code: str | None, expected: int) -> None:  # type: ignore[no-untyped-def]

    case = _placement_case(municipality)
    unit = Unit.objects.get(municipality=municipality, code=unit_code) if unit_code else None
    user = make_user(municipality, role, unit)
    client = Client()
    client.force_login(user)
    for name in ("cases:checklist", "cases:checklist_print"):
        assert client.get(reverse(name, args=[case.pk])).status_code == expected
    posted = client.post(reverse("cases:checklist", args=[case.pk]), {"item": "bisidder", "note": "x"})
    assert posted.status_code == (302 if expected == 200 else expected)
    if expected != 200:
        assert not AccessLogEntry.objects.filter(user=user).exists()


def test_other_municipality_is_refused(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    other = make_municipality("147", "Frederiksberg Kommune")
    lawyer = make_user(other, Role.CENTRE_LAWYER)
    client = Client()
    client.force_login(lawyer)
    assert client.get(reverse("cases:checklist", args=[case.pk])).status_code == 404


@pytest.mark.django_db
def test_one_plan_meeting_the_barnets_plan_and_the_ungeplan_is_shown_once(municipality) -> None:  # type: ignore[no-untyped-def]
    common: dict[str, Any] = {"case_id": "SAG-U", "child_id": "BARN-U", "birth_date": date(2007, 6, 1)}
    record(
        municipality,
        event("u1", "measure_decided", date(2024, 3, 5), attrs=PLACEMENT, **common),
        event("u2", "measure_started", date(2024, 3, 10), attrs=PLACEMENT, **common),
        event("u3", "plan_made", date(2024, 4, 1), **common),
    )
    sheet = checklist_for_case(case=case_of(municipality, "SAG-U"))
    assert sheet is not None
    [plan] = [status for status in sheet.items if status.item.id == "plan"]
    assert {e.rule_id for e in plan.auto.evidence} <= {"placement_plan", "youth_plan_placement"}
    assert plan.auto.state == MET
    assert len(plan.auto.evidence) == 1


def test_a_note_with_a_control_character_is_refused_but_line_breaks_are_kept(municipality) -> None:  # type: ignore[no-untyped-def]
    case = _placement_case(municipality)
    for note in ("Møde\x00referat", "Afgørelse\x0b1.4.", "\u202eAfgørelse"):
        with pytest.raises(ChecklistError, match="styretegn") as raised:
            checklist_mark_set(case=case, item_id="bisidder", checked=True, note=note, actor=None)
        assert "U+" in str(raised.value)
        assert not set(str(raised.value)) & {"\x00", "\x0b", "\u202e"}
    assert not ChecklistMark.objects.exists()
    assert not AuditEvent.objects.filter(action="checklist.mark").exists()
    mark = checklist_mark_set(
        case=case, item_id="bisidder", checked=True, note="Linje 1\r\n\tLinje 2", actor=None
    )
    assert mark.note == "Linje 1\r\n\tLinje 2"
