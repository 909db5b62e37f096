"""The oversigtsskema as the monthly case review uses it: a hand tick clears the request for a judgment,
the terms follow the law of the placement decision's day, the investigation must belong to the
placement, the koordinator signs off (audited, shown on the schema and the print), CPR in notes refused."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sagstilsyn.cases.checklist.items import ITEMS_BY_ID
from sagstilsyn.cases.checklist.selectors import MET, NOT_MET, checklist_for_case
from sagstilsyn.cases.checklist.services import ChecklistError, checklist_mark_set, checklist_sign_off
from sagstilsyn.cases.models import Case, ChecklistSignOff
from sagstilsyn.core.access import can_sign_off_checklist, user_scope
from sagstilsyn.core.models import AuditEvent, Municipality, Role, RoleAssignment, Unit
from tests.factories import case_of, event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db

PLACEMENT = {"measure": "placement_with_consent"}


@pytest.fixture
def municipality() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    return municipality


def _unit(municipality: Municipality, code: str) -> Unit:
    return Unit.objects.get(municipality=municipality, code=code)


def _case(municipality: Municipality, ref: str, *facts: tuple[str, date, dict[str, Any] | None]) -> Case:
    common: dict[str, Any] = {"case_id": ref, "child_id": f"BARN-{ref}", "unit": "BFE-NORD"}
    record(
        municipality,
        *(
            event(f"{ref}-{n}", kind, day, attrs=attrs, **common)
            for n, (kind, day, attrs) in enumerate(facts)
        ),
    )
    return case_of(municipality, ref)


def _item(case: Case, item_id: str):  # type: ignore[no-untyped-def]
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    return next(status for status in sheet.items if status.item.id == item_id)


# --- a hand tick clears "kræver en faglig vurdering" ---------------------------------------------


def test_a_hand_tick_clears_the_request_for_a_judgment(municipality: Municipality) -> None:
    case = _case(municipality, "T-1", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    before = _item(case, "bisidder")
    assert before.needs_judgment
    assert any("Kræver en faglig vurdering" in e.text for e in before.evidence)
    checklist_mark_set(case=case, item_id="bisidder", checked=True, note="Vejledt 4.3.", actor=None)
    after = _item(case, "bisidder")
    assert not after.needs_judgment
    assert after.done
    assert after.evidence == ()
    assert not after.shows_auto


def test_a_hand_tick_never_hides_what_the_data_show(municipality: Municipality) -> None:
    case = _case(municipality, "T-2", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    checklist_mark_set(case=case, item_id="investigation", checked=True, note="Akut anbringelse", actor=None)
    item = _item(case, "investigation")
    assert item.done
    assert not item.needs_judgment
    assert item.shows_auto
    assert item.auto.state == NOT_MET
    assert item.evidence  # the missing investigation is still shown


def test_the_page_drops_kraever_en_faglig_vurdering_for_a_ticked_item(municipality: Municipality) -> None:
    case = _case(municipality, "T-3", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    client = Client()
    client.force_login(make_user(municipality, Role.CASEWORKER))
    url = reverse("cases:checklist", args=[case.pk])
    manual = sum(1 for item in ITEMS_BY_ID.values() if item.is_manual)
    assert unescape(client.get(url).content.decode()).count("Kræver en faglig vurdering") == manual
    checklist_mark_set(case=case, item_id="bisidder", checked=True, note="Vejledt 4.3.", actor=None)
    assert unescape(client.get(url).content.decode()).count("Kræver en faglig vurdering") == manual - 1


# --- terms by the law in force ---------------------------------------------------------------------


def test_terms_follow_the_law_of_the_placement_decision(municipality: Municipality) -> None:
    old = _case(municipality, "L-1", ("measure_decided", date(2023, 11, 20), PLACEMENT))
    new = _case(municipality, "L-2", ("measure_decided", date(2024, 1, 1), PLACEMENT))
    old_sheet, new_sheet = checklist_for_case(case=old), checklist_for_case(case=new)
    assert old_sheet is not None
    assert new_sheet is not None
    old_texts = " ".join(s.text + " " + s.help for s in old_sheet.items)
    new_texts = " ".join(s.text + " " + s.help for s in new_sheet.items)
    assert "Børnesamtale" in old_texts
    assert "Handleplan" in old_texts
    assert "servicelovens § 48" in old_texts
    assert not re.search(r"(?<!børne)samtale med barnet", old_texts.lower())
    assert "barnets synspunkter" not in old_texts.lower()
    assert "børnesamtale" not in new_texts.lower()
    assert "handleplan" not in new_texts.lower()
    assert "Samtale med barnet: barnets synspunkter" in new_texts
    assert "Barnets plan" in new_texts
    assert (old_sheet.law_name, new_sheet.law_name) == ("serviceloven", "barnets lov")
    client = Client()
    client.force_login(make_user(municipality, Role.CASEWORKER))
    page = unescape(client.get(reverse("cases:checklist_print", args=[old.pk])).content.decode())
    assert "Børnesamtale" in page
    assert "Serviceloven (afgørelse før 1. januar 2024)" in page


# --- the investigation belongs to this placement ---------------------------------------------------


def test_an_investigation_for_an_earlier_measure_does_not_count(municipality: Municipality) -> None:
    case = _case(
        municipality,
        "I-1",
        ("investigation_completed", date(2023, 2, 1), None),
        ("measure_decided", date(2023, 3, 1), {"measure": "support"}),
        ("measure_decided", date(2023, 9, 1), PLACEMENT),
    )
    item = _item(case, "investigation")
    assert item.auto.state == NOT_MET
    assert "hører til sagens forrige afgørelse" in item.auto.evidence[0].text
    assert "1. marts 2023" in item.auto.evidence[0].text


def test_an_investigation_after_the_earlier_measure_counts(municipality: Municipality) -> None:
    case = _case(
        municipality,
        "I-2",
        ("investigation_completed", date(2023, 2, 1), None),
        ("measure_decided", date(2023, 3, 1), {"measure": "support"}),
        ("investigation_completed", date(2023, 8, 20), None),
        ("measure_decided", date(2023, 9, 1), PLACEMENT),
    )
    item = _item(case, "investigation")
    assert item.auto.state == MET
    assert item.auto.evidence[0].day == date(2023, 8, 20)


def test_an_investigation_more_than_a_year_old_does_not_count(municipality: Municipality) -> None:
    old = _case(
        municipality,
        "I-3",
        ("investigation_completed", date(2023, 2, 28), None),
        ("measure_decided", date(2024, 3, 1), PLACEMENT),
    )
    item = _item(old, "investigation")
    assert item.auto.state == NOT_MET
    assert "mere end 12 måneder før" in item.auto.evidence[0].text
    within = _case(
        municipality,
        "I-4",
        ("investigation_completed", date(2023, 3, 1), None),
        ("measure_decided", date(2024, 3, 1), PLACEMENT),
    )
    assert _item(within, "investigation").auto.state == MET


def test_the_look_back_applies_also_after_an_earlier_measure(municipality: Municipality) -> None:
    case = _case(
        municipality,
        "I-5",
        ("measure_decided", date(2022, 6, 1), {"measure": "support"}),
        ("investigation_completed", date(2022, 12, 1), None),
        ("measure_decided", date(2024, 3, 1), PLACEMENT),
    )
    item = _item(case, "investigation")
    assert item.auto.state == NOT_MET
    assert "mere end 12 måneder før" in item.auto.evidence[0].text


# --- the koordinator's sign-off --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "unit_code", "allowed"),
    [
        (Role.COORDINATOR, "BFE-NORD", True),
        (Role.DEPARTMENT_LEADER, "BFE-NORD", True),
        (Role.COORDINATOR, "BFE-SYD", False),
        (Role.CASEWORKER, "BFE-NORD", False),
        (Role.AREA_CHIEF, "BFE-NORD", False),
        (Role.CENTRE_LAWYER, None, False),
        (Role.ADMINISTRATOR, None, False),
    ],
)
def test_only_a_koordinator_or_afdelingsleder_of_the_unit_may_sign(
    municipality: Municipality, role: str, unit_code: str | None, allowed: bool
) -> None:
    case = _case(municipality, "S-1", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    user = make_user(municipality, role, _unit(municipality, unit_code) if unit_code else None)
    scope = user_scope(user)
    assert (
        can_sign_off_checklist(scope, municipality_id=case.municipality_id, unit_id=case.unit_id) is allowed
    )
    if allowed:
        checklist_sign_off(case=case, actor=user)
    else:
        with pytest.raises(ChecklistError, match="faglig koordinator eller afdelingsleder"):
            checklist_sign_off(case=case, actor=user)
        assert not ChecklistSignOff.objects.exists()


def test_a_caseworker_in_one_unit_who_coordinates_another_signs_only_there(
    municipality: Municipality,
) -> None:
    case = _case(municipality, "S-2", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    user = make_user(municipality, Role.CASEWORKER, _unit(municipality, "BFE-NORD"))
    RoleAssignment.objects.create(
        user=user, municipality=municipality, role=Role.COORDINATOR, unit=_unit(municipality, "BFE-SYD")
    )
    scope = user_scope(user)
    assert not can_sign_off_checklist(scope, municipality_id=case.municipality_id, unit_id=case.unit_id)


def test_sign_off_is_audited_and_remembers_what_it_saw(municipality: Municipality) -> None:
    case = _case(municipality, "S-3", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    koordinator = make_user(municipality, Role.COORDINATOR, _unit(municipality, "BFE-NORD"))
    sign_off = checklist_sign_off(case=case, actor=koordinator, note="Gennemgået med sagsbehandleren")
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    assert (sign_off.items_done, sign_off.items_total) == (sheet.done_count, len(sheet.items))
    assert sign_off.snapshot["bisidder"] is False
    audit = AuditEvent.objects.get(action="checklist.sign_off")
    assert audit.actor == koordinator
    assert audit.target_id == str(case.pk)
    assert audit.after is not None
    assert audit.after["note"] == "Gennemgået med sagsbehandleren"
    assert sheet.sign_off == sign_off
    assert sheet.changed_since_sign_off == []
    checklist_mark_set(case=case, item_id="bisidder", checked=True, note="Vejledt", actor=None)
    sheet = checklist_for_case(case=case)
    assert sheet is not None
    assert [s.item.id for s in sheet.changed_since_sign_off] == ["bisidder"]


def test_sign_off_note_with_a_cpr_number_is_refused_in_danish(municipality: Municipality) -> None:
    case = _case(municipality, "S-4", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    koordinator = make_user(municipality, Role.COORDINATOR, _unit(municipality, "BFE-NORD"))
    with pytest.raises(ChecklistError, match="CPR") as refused:
        checklist_sign_off(case=case, actor=koordinator, note="Barnet 150218-1234 er talt med")
    assert "1234" not in str(refused.value)
    with pytest.raises(ChecklistError, match="CPR"):
        checklist_mark_set(case=case, item_id="bisidder", checked=True, note="Barn 1502181234", actor=None)
    assert not ChecklistSignOff.objects.exists()


def test_the_page_signs_off_and_shows_who_and_when_also_in_print(municipality: Municipality) -> None:
    case = _case(municipality, "S-5", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    koordinator = make_user(municipality, Role.COORDINATOR, _unit(municipality, "BFE-NORD"))
    client = Client()
    client.force_login(koordinator)
    url = reverse("cases:checklist", args=[case.pk])
    page = unescape(client.get(url).content.decode())
    assert "Godkend oversigtsskemaet" in page
    assert "Skemaet er endnu ikke godkendt." in page
    response = client.post(url, {"action": "sign_off", "note": "Månedlig gennemgang"})
    assert response.status_code == 302
    page = unescape(client.get(url).content.decode())
    assert f"Godkendt af {koordinator.display_name}" in page
    assert "Månedlig gennemgang" in page
    printed = unescape(client.get(reverse("cases:checklist_print", args=[case.pk])).content.decode())
    assert f"Godkendt af {koordinator.display_name}" in printed
    assert f"Godkendt i Sagstilsyn af {koordinator.display_name}" in printed


def test_the_page_refuses_a_sign_off_by_a_caseworker_and_offers_no_button(municipality: Municipality) -> None:
    case = _case(municipality, "S-6", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    client = Client()
    client.force_login(make_user(municipality, Role.CASEWORKER, _unit(municipality, "BFE-NORD")))
    url = reverse("cases:checklist", args=[case.pk])
    assert "Godkend oversigtsskemaet" not in client.get(url).content.decode()
    response = client.post(url, {"action": "sign_off", "note": ""})
    assert response.status_code == 403
    assert "kan godkende oversigtsskemaet" in unescape(response.content.decode())
    assert not ChecklistSignOff.objects.exists()


def test_the_page_refuses_a_cpr_number_in_the_sign_off_note_and_masks_it(municipality: Municipality) -> None:
    case = _case(municipality, "S-7", ("measure_decided", date(2024, 3, 5), PLACEMENT))
    client = Client()
    client.force_login(make_user(municipality, Role.COORDINATOR, _unit(municipality, "BFE-NORD")))
    response = client.post(
        reverse("cases:checklist", args=[case.pk]), {"action": "sign_off", "note": "CPR 150218-1234"}
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "CPR-nummer" in html
    assert "150218-1234" not in html
    assert not ChecklistSignOff.objects.exists()


def test_met_late_is_quieter_than_not_met_and_not_green(municipality: Municipality) -> None:
    case = _case(
        municipality,
        "B-1",
        ("measure_decided", date(2024, 3, 5), PLACEMENT),
        ("child_views_obtained", date(2024, 3, 20), None),
    )
    item = _item(case, "child_views")
    assert (item.auto.state, item.auto.label, item.auto.badge) == (MET, "Opfyldt for sent", "badge-info")
