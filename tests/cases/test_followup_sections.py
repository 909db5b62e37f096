"""Ugens frister's sections, lapsed obligations, the leader's group and the weekly mail (ADR 0020)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.followup.digest import digest_weekly_send
from sagstilsyn.cases.followup.selectors import (
    BAND_31_90,
    BAND_OVER_90,
    NEW,
    case_lapsed_obligations,
    followup_screen,
    overdue_section,
)
from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.access import followup_default_group, user_scope
from sagstilsyn.core.models import CaseGroup, Role, RoleAssignment
from sagstilsyn.law.lapse import CASE_CLOSED_REASON
from tests.factories import event, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2025, 6, 4, 12, 0, tzinfo=CPH)  # Wednesday of week 23, 2025
MONDAY = date(2025, 6, 2)


def test_overdue_sections_by_days() -> None:
    assert [overdue_section(d) for d in (0, 7, 8, 30, 31, 90, 91)] == [
        NEW,
        NEW,
        "band_8_30",
        "band_8_30",
        BAND_31_90,
        BAND_31_90,
        BAND_OVER_90,
    ]


def test_lapsed_obligations_leave_the_list_and_closed_cases_lapse() -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    leader = make_user(municipality, Role.DEPARTMENT_LEADER, unit)
    record(
        municipality,
        # A decision without the child's views: cannot be met any more; the plan (3 months) still can.
        event(
            "d",
            "measure_decided",
            date(2025, 5, 1),
            case_id="SAG-D",
            child_id="B1",
            attrs={"measure": "support"},
        ),
        # Investigation overdue (noticed 2025-01-20 -> due 2025-05-20) in a case closed afterwards.
        event("n", "need_noticed", date(2025, 1, 20), case_id="SAG-C", child_id="B2"),
        event("c", "case_closed", date(2025, 5, 28), case_id="SAG-C", child_id="B2"),
        # The same in an open case stays on the list.
        event("o", "need_noticed", date(2025, 1, 20), case_id="SAG-O", child_id="B3"),
    )
    screen = followup_screen(scope=user_scope(leader), week_start=MONDAY, now=NOW, all_rows=True)
    listed = {(row.case_ref, row.rule_id) for row in screen.rows}
    assert ("SAG-D", "child_views_before_decision") not in listed
    assert ("SAG-C", "investigation_deadline") not in listed
    assert ("SAG-O", "investigation_deadline") in listed
    row = next(r for r in screen.rows if r.case_ref == "SAG-O" and r.rule_id == "investigation_deadline")
    assert row.trigger_day == date(2025, 1, 20)
    assert row.days_overdue == 15


def test_a_group_leader_starts_at_the_group_and_an_administrator_gets_no_mail(
    settings: SettingsWrapper,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SAGSTILSYN_SITE_URL = "https://sagstilsyn.example.dk"
    municipality = make_municipality()
    unit = make_unit(municipality)
    leader = make_user(municipality, Role.DEPARTMENT_LEADER, unit, username="leder")
    RoleAssignment.objects.filter(user=leader).update(group=CaseGroup.CHILDREN)
    assert followup_default_group(leader) == CaseGroup.CHILDREN
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    for user in (leader, admin):
        user.email = f"{user.username}@example.dk"
        user.save(update_fields=["email"])
    assert followup_default_group(admin) is None
    record(
        municipality,
        event(
            "a", "need_noticed", date(2025, 1, 31), case_id="SAG-B", child_id="B1", group=CaseGroup.CHILDREN
        ),
        event("b", "need_noticed", date(2025, 1, 31), case_id="SAG-U", child_id="B2", group=CaseGroup.YOUTH),
        event(
            "c", "need_noticed", date(2024, 1, 2), case_id="SAG-OLD", child_id="B3", group=CaseGroup.CHILDREN
        ),
    )
    result = digest_weekly_send(week_start=MONDAY, now=NOW)
    assert [d.user.username for d in result.digests] == ["leder"]
    body = mail.outbox[0].body
    assert "SAG-B" in body  # new this week (due 2025-05-31), first
    assert "SAG-U" not in body  # another group
    assert "SAG-OLD" not in body  # the old backlog is counted, not listed
    assert "https://sagstilsyn.example.dk/frister/" in body


def test_the_case_page_can_ask_which_obligations_lapsed() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(
        municipality,
        event(
            "d",
            "measure_decided",
            date(2025, 5, 1),
            case_id="SAG-D",
            child_id="B1",
            attrs={"measure": "support"},
        ),
        event("n", "need_noticed", date(2025, 1, 20), case_id="SAG-C", child_id="B2"),
        event("c", "case_closed", date(2025, 5, 28), case_id="SAG-C", child_id="B2"),
    )
    views = Obligation.objects.get(case__source_ref="SAG-D", rule_id="child_views_before_decision")
    lapsed = case_lapsed_obligations(case_id=views.case_id, now=NOW)
    assert lapsed == {
        views.pk: "Afgørelsen er truffet, så barnets synspunkter kan ikke længere indhentes før den."
    }
    assert views.status == "overdue"  # the status stays: the compliance figures count it
    closed = Obligation.objects.filter(case__source_ref="SAG-C").exclude(
        status__in=("met", "met_late", "not_applicable")
    )
    reasons = case_lapsed_obligations(case_id=closed[0].case_id, now=NOW)
    assert set(reasons) == {o.pk for o in closed}
    assert set(reasons.values()) == {CASE_CLOSED_REASON}


def test_an_administrator_who_leads_gets_the_mail_for_the_unit_they_lead(settings: SettingsWrapper) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    municipality = make_municipality()
    north = make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    RoleAssignment.objects.create(
        user=admin, municipality=municipality, role=Role.DEPARTMENT_LEADER, unit=north
    )
    admin.email = "admin@example.dk"
    admin.save(update_fields=["email"])
    record(
        municipality,
        event("n", "need_noticed", date(2025, 1, 31), case_id="SAG-N", child_id="B1"),
        event("s", "need_noticed", date(2025, 1, 31), case_id="SAG-S", child_id="B2", unit="BFE-SYD"),
    )
    result = digest_weekly_send(week_start=MONDAY, now=NOW)
    assert [d.user.username for d in result.digests] == ["admin"]
    assert "SAG-N" in mail.outbox[0].body
    assert "SAG-S" not in mail.outbox[0].body  # the administrator role's other units are not led
