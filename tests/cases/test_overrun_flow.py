"""The whole loop of issue 12's "Done when": a caseworker gives the reason for an overrun from Ugens
frister, the leader sees it there and acknowledges it, and both are in the audit trail and in the
list's Excel export."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sagstilsyn.cases.models import Obligation
from sagstilsyn.core.models import AuditEvent, Role
from tests.factories import make_case, make_municipality, make_staff, make_unit

pytestmark = pytest.mark.django_db

BACKLOG = {"afsnit": "over-90"}  # the case's investigation has been overdue since May 2024


def _sheet(content: bytes) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_a_reason_is_given_seen_acknowledged_audited_and_exported(client: Client) -> None:
    copenhagen = make_municipality()
    unit = make_unit(copenhagen, "BFE-NORD")
    caseworker = make_staff(
        copenhagen, Role.CASEWORKER, unit, username="sb", first_name="Sara", last_name="Berg"
    )
    leader = make_staff(
        copenhagen, Role.DEPARTMENT_LEADER, unit, username="leder", first_name="Lone", last_name="Dahl"
    )
    make_case(copenhagen, "SAG-1", caseworker="sb")
    obligation = Obligation.objects.get(case__source_ref="SAG-1", rule_id="investigation_deadline")
    reason_page = reverse("cases:overrun_reason", args=[obligation.pk])

    # The caseworker finds it among the overruns without a reason, and gives one.
    client.force_login(caseworker)
    listed = client.get(reverse("cases:followup"), {**BACKLOG, "uden_begrundelse": "1"}).content.decode()
    assert "SAG-1" in listed
    assert reason_page in listed
    response = client.post(
        f"{reason_page}?next=/frister/",
        {"action": "record", "text": "Afventer PPR's udtalelse.", "planned_day": ""},
    )
    assert response.status_code == 302

    # The leader sees it on the list, no longer among those without a reason, and acknowledges it.
    client.force_login(leader)
    listed = client.get(reverse("cases:followup"), BACKLOG).content.decode()
    assert "Afventer PPR" in listed
    without = client.get(reverse("cases:followup"), {**BACKLOG, "uden_begrundelse": "1"}).content.decode()
    assert reason_page not in without  # its other overrun (the foreløbig vurdering) is still there
    assert client.post(reason_page, {"action": "acknowledge"}).status_code == 302

    # Both are in the audit trail, by the people who did them.
    assert AuditEvent.objects.get(action="overrun.reason").actor == caseworker
    assert AuditEvent.objects.get(action="overrun.acknowledge").actor == leader

    # And in the Excel export of the list, with the names of who gave and who acknowledged it.
    rows = _sheet(client.get(reverse("cases:followup_xlsx"), BACKLOG).content)
    headers = rows[1]
    row = next(r for r in rows[2:] if "SAG-1" in r and "Afventer" in str(r))
    cells = dict(zip(headers, row, strict=True))
    assert cells["Begrundelse for overskridelse"] == "Afventer PPR's udtalelse."
    assert cells["Begrundet af"] == "Sara Berg"
    assert cells["Kvitteret af"] == "Lone Dahl"
    assert cells["Kvitteret"] is not None
