"""The landing page, log-in and log-out, the header, and the personal start page of each kind of role."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from sagstilsyn.cases.models import Case, Obligation
from sagstilsyn.cases.selectors.overview import week_end
from sagstilsyn.core.models import CaseGroup, Municipality, Role
from sagstilsyn.core.services.organisation import user_create
from sagstilsyn.law.calendar import today_local
from tests.factories import event, make_case, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db

PASSWORD = "hemmelig-kode-123"  # noqa: S105 - the factories' test password


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def _copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    make_user(municipality, Role.CASEWORKER, username="anna")
    make_case(municipality, "SAG-1", caseworker="anna", cpr="0102181234", group=CaseGroup.CHILDREN)
    make_case(municipality, "SAG-2", caseworker="anna", overdue=False)
    make_case(municipality, "SAG-3", unit="BFE-SYD")
    lejre = make_municipality("350", "Lejre Kommune")
    make_unit(lejre, "BFE-LEJRE")
    make_case(lejre, "SAG-L", unit="BFE-LEJRE")
    return municipality


@pytest.fixture(scope="module")
def copenhagen(module_db: DjangoDbBlocker) -> Municipality:
    """Built once for the module; each test's writes are rolled back after it (conftest's `module_db`)."""
    with module_db.unblock():
        return _copenhagen()


def test_landing_page_for_anonymous_users(client: Client) -> None:
    html = _html(client, "/")

    assert '<html lang="da">' in html
    assert 'class="skipnav" href="#main-content"' in html
    assert "<h1>Sagstilsyn</h1>" in html
    assert f'href="{reverse("core:login")}"' in html
    assert f'href="{reverse("core:rules")}"' not in html  # the rule catalogue is behind the log-in
    assert "Log ud" not in html


def test_log_in_and_out(client: Client, copenhagen: Municipality) -> None:
    login = _html(client, reverse("core:login"))
    assert 'for="id_username"' in login
    assert 'for="id_password"' in login
    assert "Adgangskode" in login

    wrong = client.post(reverse("core:login"), {"username": "anna", "password": "forkert"})
    assert wrong.status_code == 200
    assert "Brugernavn eller adgangskode er forkert" in unescape(wrong.content.decode())

    response = client.post(reverse("core:login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    start = _html(client, "/")
    assert "Mine sager" in start
    assert "Log ud" in start

    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")
    assert client.get(reverse("cases:case_list")).status_code == 302


def test_log_in_returns_to_the_page_asked_for(client: Client, copenhagen: Municipality) -> None:
    url = reverse("cases:case_list")
    response = client.get(url)
    assert response["Location"] == f"{reverse('core:login')}?next={url}"

    response = client.post(
        f"{reverse('core:login')}?next={url}", {"username": "anna", "password": PASSWORD, "next": url}
    )

    assert response.status_code == 302
    assert response["Location"] == url


def test_header_navigation_by_role(client: Client, copenhagen: Municipality) -> None:
    worker = make_user(copenhagen, Role.CASEWORKER, username="bent")
    member = make_user(copenhagen, Role.COMMITTEE_MEMBER, username="udvalg")

    client.force_login(worker)
    html = _html(client, "/")
    assert 'aria-label="Hovedmenu"' in html
    assert f'href="{reverse("cases:case_list")}"' in html
    assert worker.display_name in html
    assert "Sagsbehandler" in html
    assert f'action="{reverse("core:logout")}"' in html
    assert "Københavns Kommune" in html

    client.force_login(member)
    html = _html(client, "/")
    assert f'href="{reverse("cases:case_list")}"' not in html
    assert f'href="{reverse("core:rules")}"' in html
    assert "Udvalgsmedlem" in html


def test_caseworker_start_page(client: Client, copenhagen: Municipality) -> None:
    client.force_login(make_user(copenhagen, Role.CASEWORKER, username="carl"))
    anna = Case.objects.get(source_ref="SAG-1").caseworker
    assert anna is not None
    client.force_login(anna)

    html = _html(client, "/")

    assert "Mine sager" in html
    assert f'href="/sager/?caseworker={anna.pk}"' in html
    assert f'href="/sager/?caseworker={anna.pk}&overdue=1"' in html
    # SAG-1 has two overdue obligations; SAG-2 none; SAG-3 is not anna's.
    assert '<strong class="badge badge-error">2</strong>' in html
    assert "SAG-3" not in html
    assert "SAG-L" not in html


def test_caseworker_start_page_counts_this_weeks_deadlines(client: Client, copenhagen: Municipality) -> None:
    worker = make_user(copenhagen, Role.CASEWORKER, username="dorte")
    received = timezone.now() - timedelta(hours=1)
    record(
        copenhagen,
        event("uge-1", "concern_received", received, case_id="SAG-UGE", child_id="B-UGE", caseworker="dorte"),
    )
    today = today_local()
    due = Obligation.objects.filter(case__source_ref="SAG-UGE", status="open")
    assert due.exists()  # the 24-hour assessment at least
    expected = due.filter(due_day__gte=today, due_day__lte=week_end(today)).count()
    client.force_login(worker)

    html = _html(client, "/")

    assert re.search(rf'Frister denne uge(</a>)?</th><td class="align-text-right">{expected}</td>', html)
    assert f'<td class="align-text-right">{due.count()}</td>' in html


def test_leader_start_page_shows_own_units_only(client: Client, copenhagen: Municipality) -> None:
    nord = Case.objects.get(source_ref="SAG-1").unit
    leader = make_user(copenhagen, Role.DEPARTMENT_LEADER, nord)
    client.force_login(leader)

    html = _html(client, "/")

    assert "Mine enheder" in html
    assert f'href="/sager/?unit={nord.pk}"' in html
    assert "Enheden BFE-NORD" in html
    assert "Enheden BFE-SYD" not in html
    assert f'href="/sager/?unit={nord.pk}&overdue=1"' in html


@pytest.mark.parametrize("role", [Role.CENTRE_LAWYER, Role.CENTRAL_LAWYER, Role.ADMINISTRATOR])
def test_lawyer_and_administrator_start_page_shows_the_municipalitys_units(
    client: Client, copenhagen: Municipality, role: str
) -> None:
    client.force_login(make_user(copenhagen, role))

    html = _html(client, "/")

    assert "Kommunens enheder" in html
    assert "Enheden BFE-NORD" in html
    assert "Enheden BFE-SYD" in html
    assert "BFE-LEJRE" not in html


def test_committee_start_page_shows_aggregates_only(client: Client, copenhagen: Municipality) -> None:
    client.force_login(make_user(copenhagen, Role.COMMITTEE_MEMBER, username="udvalg"))

    html = _html(client, "/")

    assert "Tal for kommunen" in html
    assert '<tr><th scope="row">Sager</th><td class="align-text-right">3</td></tr>' in html
    for forbidden in ("SAG-1", "SAG-2", "SAG-3", "SAG-L", "anna", "Test caseworker", "010218", "/sager/"):
        assert forbidden not in html
    assert "Enheden BFE" not in html


@pytest.mark.parametrize("role", [None, *Role])
def test_start_page_tells_only_a_user_without_roles_to_ask_for_access(
    client: Client, copenhagen: Municipality, role: str | None
) -> None:
    if role is None:
        user = user_create(municipality=copenhagen, username="ingen-roller")
    else:
        user = make_user(copenhagen, role)
    client.force_login(user)

    html = _html(client, "/")

    assert ("Du har ingen roller endnu" in html) is (role is None)
