"""The access matrix of the pages: every role × every URL × own unit / other unit / other municipality.

Copenhagen has the user's own unit (BFE-NORD) and another unit (BFE-SYD); Lejre is another municipality
with a unit of the same code. One case lives in each (the `access_world` of tests/conftest.py, built once
for the module, with a user of each role). For each role the test checks the status code of every URL,
which cases are listed and exported, that a case page view and an export each write one access-log
entry, and that no CPR number appears where it must not.
"""

from __future__ import annotations

import re
from html import unescape
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sagstilsyn.core.models import AccessLogEntry, Role
from sagstilsyn.core.services.organisation import user_create
from tests.factories import (
    CHILD_NAMES,
    CPRS,
    NO_CASES,
    PLACES,
    REFS,
    SCOPE_LABELS,
    VISIBLE,
    AccessWorld,
    cpr_forms,
)

pytestmark = pytest.mark.django_db

#: Roles that see the full CPR number on the case page; the others see it masked.
FULL_CPR: set[str] = {Role.CASEWORKER, Role.COORDINATOR}
URL_ATTRIBUTE = re.compile(r'(?:href|action|src)="([^"]*)"')


def _assert_no_cpr_in_urls(html: str) -> None:
    for url in URL_ATTRIBUTE.findall(html):
        for digits in CPRS.values():
            for form in cpr_forms(digits):
                assert form not in unescape(url)


@pytest.mark.parametrize("role", list(Role))
def test_start_page(client: Client, access_world: AccessWorld, role: str) -> None:
    client.force_login(access_world.users[role])

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    html = unescape(response.content.decode())
    _assert_no_cpr_in_urls(html)
    for digits in CPRS.values():
        assert all(form not in html for form in cpr_forms(digits))
    assert REFS["foreign"] not in html
    if role in NO_CASES:  # the municipality's totals: never a child's name
        assert all(name not in html for name in CHILD_NAMES.values())
        assert all(ref not in html for ref in REFS.values())
        assert reverse("cases:case_list") not in html
        assert "Tal for kommunen" in html


@pytest.mark.parametrize("role", list(Role))
def test_case_list(client: Client, access_world: AccessWorld, role: str) -> None:
    world = access_world
    client.force_login(world.users[role])

    response = client.get(reverse("cases:case_list"))

    if role in NO_CASES:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for place, visible in zip(PLACES, VISIBLE[role], strict=True):
        assert (REFS[place] in html) is visible, place
        case_url = reverse("cases:case_detail", args=[world.cases[place].pk])
        assert (f'href="{case_url}"' in html) is visible, place
        assert (CHILD_NAMES[place] in html) is visible, place  # the name beside the case reference
    for digits in CPRS.values():
        assert all(form not in html for form in cpr_forms(digits))
    _assert_no_cpr_in_urls(html)


@pytest.mark.parametrize("role", list(Role))
def test_case_list_xlsx(client: Client, access_world: AccessWorld, role: str) -> None:
    user = access_world.users[role]
    client.force_login(user)
    before = AccessLogEntry.objects.count()

    response = client.get(reverse("cases:case_list_xlsx"))

    if role in NO_CASES:
        assert response.status_code == 403
        assert AccessLogEntry.objects.count() == before
        return
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith(f"Sagsliste · {SCOPE_LABELS[role]} · udtrukket ")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    refs = {row[0] for row in rows[1:]}
    assert refs == {REFS[p] for p, visible in zip(PLACES, VISIBLE[role], strict=True) if visible}
    cells = " ".join(str(value) for row in rows for value in row if value is not None)
    for digits in CPRS.values():
        assert all(form not in cells for form in cpr_forms(digits))
    assert all(name not in cells for name in CHILD_NAMES.values())  # an export never names a child
    entries = AccessLogEntry.objects.filter(purpose="case_list_xlsx")
    assert entries.count() == 1
    assert AccessLogEntry.objects.count() == before + 1
    entry = entries.get()
    assert entry.user == user
    assert entry.municipality_id == user.municipality_id


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", list(Role))
def test_case_page(client: Client, access_world: AccessWorld, role: str, place: str) -> None:
    user = access_world.users[role]
    client.force_login(user)
    case = access_world.cases[place]
    before = AccessLogEntry.objects.count()

    response = client.get(reverse("cases:case_detail", args=[case.pk]))

    visible = VISIBLE[role][PLACES.index(place)]
    expected = 403 if role in NO_CASES else (200 if visible else 404)
    assert response.status_code == expected
    html = unescape(response.content.decode())
    if not visible:
        assert REFS[place] not in html
        assert CHILD_NAMES[place] not in html
        assert AccessLogEntry.objects.count() == before
        return
    entry = AccessLogEntry.objects.get(purpose="case_view")
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.user, entry.case_id, entry.child_id) == (user, case.pk, case.child_id)
    assert entry.municipality_id == case.municipality_id
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert heading is not None
    assert CHILD_NAMES[place] in heading.group(1)  # the case page's title line names the child
    assert CHILD_NAMES[place] not in html.split("<title>")[1].split("</title>")[0]  # not the browser's
    digits = CPRS[place]
    full, masked = f"{digits[:6]}-{digits[6:]}", f"{digits[:6]}-XXXX"
    if role in FULL_CPR:
        assert full in html
    else:
        assert masked in html
        assert full not in html
        assert digits not in html
    _assert_no_cpr_in_urls(html)


def test_anonymous_is_sent_to_log_in(client: Client, access_world: AccessWorld) -> None:
    world = access_world
    landing = client.get(reverse("web:home"))
    assert landing.status_code == 200
    assert "Log ind" in landing.content.decode()
    urls = [
        reverse("cases:case_list"),
        reverse("cases:case_list_xlsx"),
        reverse("cases:case_detail", args=[world.cases["own"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))
    assert AccessLogEntry.objects.count() == 0


def test_user_without_roles_sees_no_cases(client: Client, access_world: AccessWorld) -> None:
    world = access_world
    nobody = user_create(municipality=world.copenhagen, username="ingen-roller")
    client.force_login(nobody)
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(reverse("cases:case_list")).status_code == 403
    assert client.get(reverse("cases:case_list_xlsx")).status_code == 403
    assert client.get(reverse("cases:case_detail", args=[world.cases["own"].pk])).status_code == 403


def test_case_urls_carry_database_ids_only(access_world: AccessWorld) -> None:
    for case in access_world.cases.values():
        assert reverse("cases:case_detail", args=[case.pk]) == f"/sager/{case.pk}/"
