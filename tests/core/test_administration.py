"""The administrator's pages (ADR 0022): units and groups, staff and roles; every change audited, refused
changes explained in Danish with nothing written, another municipality's objects not found."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from sagstilsyn.core.models import AuditEvent, Municipality, Role, RoleAssignment, Unit, User
from sagstilsyn.core.services.organisation import OrganisationError, unit_create, unit_rename
from sagstilsyn.core.services.staff import role_end, user_deactivate
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    return municipality


@pytest.fixture
def admin(client: Client, copenhagen: Municipality) -> User:
    user = make_user(copenhagen, Role.ADMINISTRATOR, username="admin")
    client.force_login(user)
    return user


def _sheet(content: bytes) -> list[tuple[object, ...]]:
    """The sheet's header and data rows, after its title row (what, for whom, as of when)."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows: list[tuple[object, ...]] = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert str(rows[0][0]).startswith(
        ("Enheder og grupper · Københavns Kommune", "Medarbejdere og roller · Københavns Kommune")
    )
    return rows[1:]


# --- services ---------------------------------------------------------------------------------------


def test_a_unit_is_created_once_and_renamed_by_its_code(copenhagen: Municipality) -> None:
    unit = unit_create(municipality=copenhagen, code="BFE-VEST", name="Vest", actor=None)
    with pytest.raises(OrganisationError, match="enhedskoden BFE-VEST findes allerede"):
        unit_create(municipality=copenhagen, code="BFE-VEST", name="Vest igen", actor=None)
    with pytest.raises(OrganisationError, match="uden mellemrum"):
        unit_create(municipality=copenhagen, code="BFE VEST", name="Vest", actor=None)
    unit_rename(unit=unit, name="Børnefamilieenheden Vest", actor=None)
    unit.refresh_from_db()
    assert (unit.code, unit.name) == ("BFE-VEST", "Børnefamilieenheden Vest")
    assert [e.action for e in AuditEvent.objects.filter(target_type="unit", target_id=str(unit.pk))] == [
        "unit.update",
        "unit.create",
    ]


def test_ending_a_role_keeps_it_in_the_audit_trail(copenhagen: Municipality) -> None:
    person = make_user(copenhagen, Role.CASEWORKER, username="bent")
    assignment = RoleAssignment.objects.get(user=person)
    role_end(assignment=assignment, actor=None)
    assert not RoleAssignment.objects.filter(user=person).exists()
    ended = AuditEvent.objects.get(action="role.end")
    assert ended.before == {"role": "caseworker", "unit": "BFE-NORD", "group": ""}


def test_nobody_deactivates_themselves(copenhagen: Municipality) -> None:
    admin = make_user(copenhagen, Role.ADMINISTRATOR, username="admin")
    with pytest.raises(OrganisationError, match="dig selv"):
        user_deactivate(user=admin, actor=admin)
    assert User.objects.get(username="admin").is_active


# --- pages ------------------------------------------------------------------------------------------


def test_the_administrator_creates_and_renames_a_unit(client: Client, admin: User) -> None:
    response = client.post(reverse("core:unit_list"), {"code": "BFE-VEST", "name": "Vest", "kind": "unit"})
    assert response.status_code == 302
    unit = Unit.objects.get(code="BFE-VEST")
    page = client.get(reverse("core:unit_list")).content.decode()
    assert "Enheden Vest (BFE-VEST) er oprettet." in page
    again = client.post(reverse("core:unit_list"), {"code": "BFE-VEST", "name": "Vest 2", "kind": "unit"})
    assert again.status_code == 400
    assert (
        "Enheden er ikke oprettet: enhedskoden BFE-VEST findes allerede i kommunen." in again.content.decode()
    )
    renamed = client.post(
        reverse("core:unit_edit", kwargs={"unit_id": unit.pk}),
        {"name": "Børnefamilieenheden Vest", "kind": "unit"},
    )
    assert renamed.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Børnefamilieenheden Vest"
    assert AuditEvent.objects.filter(action="unit.update", actor=admin).count() == 1
    rows = _sheet(client.get(reverse("core:unit_list_xlsx")).content)
    assert rows[0][:2] == ("Enhedskode", "Navn")
    assert ("BFE-VEST", "Børnefamilieenheden Vest") in [row[:2] for row in rows[1:]]


def test_another_municipalitys_unit_and_person_are_not_found(client: Client, admin: User) -> None:
    lejre = make_municipality("350", "Lejre Kommune")
    unit = make_unit(lejre, "BFE-NORD")
    person = make_user(lejre, Role.CASEWORKER, unit, username="lejre-bent")
    assert client.get(reverse("core:unit_edit", kwargs={"unit_id": unit.pk})).status_code == 404
    assert client.get(reverse("core:staff_detail", kwargs={"user_id": person.pk})).status_code == 404
    assert "lejre-bent" not in client.get(reverse("core:staff_list")).content.decode()


def test_the_staff_list_searches_pages_and_exports(
    client: Client, admin: User, copenhagen: Municipality
) -> None:
    for number in range(60):
        make_user(copenhagen, Role.CASEWORKER, username=f"sb{number:02d}")
    first = client.get(reverse("core:staff_list")).content.decode()
    assert "61 medarbejdere, side 1 af 2" in first
    found = client.get(reverse("core:staff_list"), {"q": "sb07"}).content.decode()
    assert "1 medarbejder." in found
    assert "sb07" in found
    assert "sb08" not in found
    rows = _sheet(client.get(reverse("core:staff_list_xlsx"), {"q": "sb07"}).content)
    assert rows[0][:5] == ("Brugernavn", "Navn", "E-mail", "Aktiv", "Rolle")
    assert [row[:5] for row in rows[1:]] == [("sb07", "Test caseworker", None, "Ja", "Sagsbehandler")]


def test_the_administrator_gives_moves_and_ends_a_role_and_deactivates(
    client: Client, admin: User, copenhagen: Municipality
) -> None:
    person = make_user(copenhagen, Role.CASEWORKER, username="bent")
    unit = Unit.objects.get(code="BFE-NORD")
    url = reverse("core:staff_detail", kwargs={"user_id": person.pk})
    given = client.post(url, {"action": "role_add", "role": "coordinator", "unit": unit.pk, "group": "youth"})
    assert given.status_code == 302
    coordinator = RoleAssignment.objects.get(user=person, role="coordinator")
    assert coordinator.group == "youth"
    refused = client.post(url, {"action": "role_add", "role": "centre_lawyer", "unit": "", "group": "youth"})
    assert refused.status_code == 400
    assert (
        "Intet er ændret: rollen Centerjurist gælder hele kommunen og har ingen gruppe."
        in refused.content.decode()
    )
    missing_unit = client.post(url, {"action": "role_add", "role": "area_chief", "unit": ""})
    assert "rollen Områdechef kræver en enhed" in missing_unit.content.decode()
    client.post(url, {"action": "role_group", "role_id": coordinator.pk, "group": "children"})
    coordinator.refresh_from_db()
    assert coordinator.group == "children"
    client.post(url, {"action": "role_end", "role_id": coordinator.pk})
    assert not RoleAssignment.objects.filter(pk=coordinator.pk).exists()
    client.post(url, {"action": "deactivate"})
    person.refresh_from_db()
    assert not person.is_active
    actions = list(
        AuditEvent.objects.filter(actor=admin, target_label="bent").values_list("action", flat=True)
    )
    assert sorted(actions) == ["role.assign", "role.end", "role.update", "user.deactivate"]


def test_the_administrator_cannot_end_their_own_administrator_role(client: Client, admin: User) -> None:
    assignment = RoleAssignment.objects.get(user=admin)
    url = reverse("core:staff_detail", kwargs={"user_id": admin.pk})
    response = client.post(url, {"action": "role_end", "role_id": assignment.pk})
    assert response.status_code == 400
    assert "du kan ikke afslutte din egen rolle som administrator" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_administrator_resets_a_persons_code_app(
    client: Client, admin: User, copenhagen: Municipality
) -> None:
    leader = make_user(copenhagen, Role.DEPARTMENT_LEADER, username="leder")
    TOTPDevice.objects.create(user=leader, name="kodeapp", confirmed=True)
    url = reverse("core:staff_detail", kwargs={"user_id": leader.pk})
    assert "Nulstil kodeappen" in client.get(url).content.decode()
    client.post(url, {"action": "otp_reset"})
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert AuditEvent.objects.filter(action="otp.device_reset", actor=admin, target_label="leder").exists()


def test_a_person_created_on_the_screen_has_no_password(client: Client, admin: User) -> None:
    response = client.post(reverse("core:staff_list"), {"username": "ny", "name": "Nina Nybo", "email": ""})
    person = User.objects.get(username="ny")
    assert response["Location"] == reverse("core:staff_detail", kwargs={"user_id": person.pk})
    assert (person.first_name, person.last_name) == ("Nina", "Nybo")
    assert not person.has_usable_password()
