"""The case list (filters, search, sorting, pagination, Excel) and the case page (facts, obligations,
timeline). Access by role is covered by tests/test_access_matrix.py."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sagstilsyn.cases.models import Case, Obligation
from sagstilsyn.core.models import AccessLogEntry, CaseGroup, Municipality, Role, User
from tests.factories import event, make_case, make_municipality, make_unit, make_user, record

pytestmark = pytest.mark.django_db

COPENHAGEN_TZ = ZoneInfo("Europe/Copenhagen")
CASE_LINK = re.compile(r'href="/sager/(\d+)/"')


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def _listed(html: str) -> set[int]:
    return {int(pk) for pk in CASE_LINK.findall(html)}


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    return municipality


@pytest.fixture
def lawyer(copenhagen: Municipality) -> User:
    return make_user(copenhagen, Role.CENTRE_LAWYER, username="jurist")


@pytest.fixture
def cases(copenhagen: Municipality) -> dict[str, Case]:
    make_user(copenhagen, Role.CASEWORKER, username="anna")
    make_user(copenhagen, Role.CASEWORKER, username="bo")
    return {
        "a": make_case(copenhagen, "2024-0001", caseworker="anna", group=CaseGroup.CHILDREN),
        "b": make_case(copenhagen, "2024-0002", caseworker="bo", group=CaseGroup.YOUTH, overdue=False),
        "c": make_case(copenhagen, "2023-0099", unit="BFE-SYD", group=CaseGroup.INVESTIGATION, overdue=False),
    }


def test_case_list_filters(client: Client, lawyer: User, cases: dict[str, Case]) -> None:
    client.force_login(lawyer)
    a, b, c = cases["a"], cases["b"], cases["c"]
    url = reverse("cases:case_list")

    assert _listed(_html(client, url)) == {a.pk, b.pk, c.pk}
    assert _listed(_html(client, f"{url}?unit={c.unit_id}")) == {c.pk}
    assert _listed(_html(client, f"{url}?group=youth")) == {b.pk}
    assert _listed(_html(client, f"{url}?caseworker={a.caseworker_id}")) == {a.pk}
    assert _listed(_html(client, f"{url}?overdue=1")) == {a.pk}
    assert _listed(_html(client, f"{url}?status=met")) == {b.pk, c.pk}
    assert _listed(_html(client, f"{url}?status=not_applicable&unit={a.unit_id}")) == {b.pk}
    assert _listed(_html(client, f"{url}?q=2024-")) == {a.pk, b.pk}
    assert _listed(_html(client, f"{url}?q=0099")) == {c.pk}
    assert _listed(_html(client, f"{url}?q=findes-ikke")) == set()
    assert "Ingen sager passer til søgningen." in _html(client, f"{url}?q=findes-ikke")
    # Unknown values are ignored, not errors.
    assert _listed(_html(client, f"{url}?status=nonsense&group=x&unit=abc")) == {a.pk, b.pk, c.pk}


def test_case_list_filters_only_offer_what_the_user_may_see(client: Client, cases: dict[str, Case]) -> None:
    municipality = cases["a"].municipality
    leader = make_user(municipality, Role.DEPARTMENT_LEADER, cases["a"].unit)
    client.force_login(leader)

    html = _html(client, reverse("cases:case_list"))

    assert "Enheden BFE-NORD" in html
    assert "Enheden BFE-SYD" not in html
    assert _listed(html) == {cases["a"].pk, cases["b"].pk}
    # Filtering by another unit's id shows nothing from it.
    assert _listed(_html(client, f"{reverse('cases:case_list')}?unit={cases['c'].unit_id}")) == set()


def test_case_list_sorts_by_case_ref(client: Client, lawyer: User, cases: dict[str, Case]) -> None:
    client.force_login(lawyer)
    url = reverse("cases:case_list")

    ascending = CASE_LINK.findall(_html(client, url))
    descending = CASE_LINK.findall(_html(client, f"{url}?sort=-ref"))

    expected = [str(cases[k].pk) for k in ("c", "a", "b")]
    assert ascending == expected
    assert descending == expected[::-1]
    assert 'aria-sort="ascending"' in _html(client, url)
    assert 'aria-sort="descending"' in _html(client, f"{url}?sort=-ref")


def test_case_list_paginates_by_50(client: Client, copenhagen: Municipality, lawyer: User) -> None:
    inputs = [
        event(f"e{i}", "need_noticed", date(2024, 1, 10), case_id=f"P-{i:03d}", child_id=f"B-{i}")
        for i in range(51)
    ]
    record(copenhagen, *inputs)
    client.force_login(lawyer)
    url = reverse("cases:case_list")

    first = _html(client, url)
    second = _html(client, f"{url}?side=2&q=P-")

    assert len(_listed(first)) == 50
    assert "side 1 af 2" in first
    assert 'href="?side=2"' in first
    assert len(_listed(second)) == 1
    assert "P-050" in second
    assert 'href="?side=1&q=P-"' in second or 'href="?q=P-&side=1"' in second


def test_excel_exports_exactly_the_filtered_list(
    client: Client, lawyer: User, cases: dict[str, Case]
) -> None:
    client.force_login(lawyer)
    html = _html(client, f"{reverse('cases:case_list')}?q=2024-&sort=-ref&side=1")
    export_url = re.search(r'href="([^"]*sagsliste\.xlsx[^"]*)"', html)
    assert export_url is not None
    assert "side=" not in export_url.group(1)
    before = AccessLogEntry.objects.count()

    response = client.get(export_url.group(1))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith("Sagsliste (filtreret) · ")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "Sagsnummer"
    assert not any("CPR" in str(header) or "Fødsel" in str(header) for header in rows[0])
    assert [row[0] for row in rows[1:]] == ["2024-0002", "2024-0001"]
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref["2024-0001"][2] == "Enheden BFE-NORD"
    assert by_ref["2024-0001"][3] == "Børn"
    assert by_ref["2024-0001"][6] == 2  # investigation deadline and preliminary assessment overdue
    assert AccessLogEntry.objects.count() == before + 1
    assert AccessLogEntry.objects.latest("id").purpose == "case_list_xlsx"


def test_case_page_shows_facts_obligations_and_timeline(client: Client, copenhagen: Municipality) -> None:
    worker = make_user(copenhagen, Role.CASEWORKER, username="anna")
    case = make_case(
        copenhagen,
        "2024-0007",
        caseworker="anna",
        group=CaseGroup.CHILDREN,
        cpr="1502181234",
        birth_date=date(2018, 2, 15),
        overdue=False,
        placement=True,
    )
    received = datetime(2024, 1, 8, 14, 5, tzinfo=COPENHAGEN_TZ)
    record(
        copenhagen,
        event(
            "u1",
            "concern_received",
            received,
            case_id="2024-0007",
            child_id="BARN-2024-0007",
            attrs={"notifier": "professional", "abuse": False},
        ),
    )
    client.force_login(worker)

    html = _html(client, reverse("cases:case_detail", args=[case.pk]))

    assert "<h1>Sag 2024-0007</h1>" in html
    assert "150218-1234" in html  # a caseworker sees the full number
    assert "15.02.2018" in html
    assert "Enheden BFE-NORD" in html
    assert "Børn" in html
    assert worker.display_name in html
    # Timeline: Danish labels, dates and times, attributes with Danish labels.
    assert "Kommunen blev opmærksom på behov for særlig støtte" in html
    assert "Børnefaglig undersøgelse afsluttet" in html
    assert "8. januar 2024 kl. 14.05" in html
    assert "Underretning modtaget" in html
    assert "Fagperson (skærpet underretningspligt)" in html
    assert "Mistanke om vold eller overgreb" in html
    assert "Foranstaltning" in html
    assert "Anbringelse med samtykke" in html
    # Obligations: each rule linked to its catalogue page, with status, citation and due date.
    for obligation in Obligation.objects.filter(case=case):
        assert f'href="{reverse("core:rule", args=[obligation.rule_id])}"' in html
        assert obligation.rule_version.title in html
        assert obligation.rule_version.citations[0]["label"] in html
        assert obligation.get_status_display() in html
    assert "10. maj 2024" in html
    assert 'class="badge badge-success">Overholdt<' in html
    assert 'class="badge badge-error">Overskredet<' in html
    met = Obligation.objects.get(case=case, rule_id="investigation_deadline")
    assert met.satisfied_event_id is not None
    assert f'href="#haendelse-{met.satisfied_event_id}"' in html
    assert f'id="haendelse-{met.satisfied_event_id}"' in html
    explained = Obligation.objects.filter(case=case).exclude(explanation="").first()
    if explained is not None:
        assert explained.explanation in html
    if any(not o.rule_version.citations[0]["verified"] for o in Obligation.objects.filter(case=case)):
        assert "Ikke verificeret" in html


def test_case_page_marks_unverified_citation_per_obligation(client: Client, copenhagen: Municipality) -> None:
    worker = make_user(copenhagen, Role.CASEWORKER)
    case = make_case(copenhagen, "2024-0008")
    client.force_login(worker)

    html = _html(client, reverse("cases:case_detail", args=[case.pk]))

    for obligation in Obligation.objects.filter(case=case):
        label = obligation.rule_version.citations[0]["label"]
        cell = html[html.index(f">{label}</a>") : html.index("</td>", html.index(f">{label}</a>"))]
        assert ("Ikke verificeret" in cell) is (not obligation.rule_version.citations[0]["verified"])


def test_case_page_masks_cpr_for_leaders(client: Client, copenhagen: Municipality) -> None:
    case = make_case(copenhagen, "2024-0009", cpr="1502181234")
    leader = make_user(copenhagen, Role.AREA_CHIEF, case.unit)
    client.force_login(leader)

    html = _html(client, reverse("cases:case_detail", args=[case.pk]))

    assert "150218-XXXX" in html
    assert "1234" not in html.replace(f"/sager/{case.pk}/", "")


def test_case_page_links_the_checklist_of_placement_cases(client: Client, copenhagen: Municipality) -> None:
    worker = make_user(copenhagen, Role.CASEWORKER)
    placement = make_case(copenhagen, "2024-0010", placement=True)
    plain = make_case(copenhagen, "2024-0011")
    client.force_login(worker)
    checklist = reverse("cases:checklist", args=[placement.pk])

    assert f'href="{checklist}"' in _html(client, reverse("cases:case_detail", args=[placement.pk]))
    assert "Oversigtsskema" in _html(client, reverse("cases:case_detail", args=[placement.pk]))
    assert "Oversigtsskema" not in _html(client, reverse("cases:case_detail", args=[plain.pk]))


def test_case_list_view_writes_one_access_log_entry(
    client: Client, lawyer: User, cases: dict[str, Case]
) -> None:
    client.force_login(lawyer)
    before = AccessLogEntry.objects.count()
    _html(client, reverse("cases:case_list"))
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.purpose, entry.user, entry.case_id) == ("case_list", lawyer, None)


@pytest.mark.parametrize("typed", ["010118-1234", "0101181234", "SAG-010118-1234"])
def test_a_cpr_number_typed_in_the_case_search_is_dropped_and_never_echoed(
    client: Client, lawyer: User, cases: dict[str, Case], typed: str
) -> None:
    client.force_login(lawyer)
    response = client.get(f"{reverse('cases:case_list')}?q={typed}&overdue=1", follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('cases:case_list')}?overdue=1"
    html = unescape(response.content.decode())
    assert "Der søges ikke på CPR-numre her" in html
    assert "1234" not in html  # not in the search box, the export link or anywhere else
    assert _listed(html) == {cases["a"].pk}  # the other filters still apply


def test_a_caseworker_finds_a_childs_cases_by_cpr_without_the_number_in_any_url_or_page(
    client: Client, copenhagen: Municipality
) -> None:
    worker = make_user(copenhagen, Role.CASEWORKER, username="anna")
    own = make_case(copenhagen, "2024-0100", child_id="BARN-100", cpr="010118-1234")
    make_case(copenhagen, "2024-0101", child_id="BARN-101", cpr="020218-2345")
    elsewhere = make_case(copenhagen, "2024-0102", unit="BFE-SYD", child_id="BARN-102", cpr="030318-3456")
    client.force_login(worker)
    url = reverse("cases:case_search_cpr")
    assert "cpr" not in url.replace("cpr-soegning", "")

    response = client.post(url, {"cpr": "0101181234"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert _listed(html) == {own.pk}
    assert "1234" not in html
    assert "for barnet med det indtastede CPR-nummer" in html
    assert (
        _listed(unescape(client.post(url, {"cpr": "030318-3456"}).content.decode())) == set()
    )  # not her unit
    assert elsewhere.pk not in _listed(html)

    bad = unescape(client.post(url, {"cpr": "12345"}).content.decode())
    assert "CPR-nummeret skal have formen DDMMÅÅ-NNNN" in bad
    assert _listed(bad) == set()
    assert AccessLogEntry.objects.filter(user=worker, purpose="case_search_cpr").count() == 3


def test_only_the_roles_that_see_cpr_numbers_may_search_by_them(
    client: Client, lawyer: User, cases: dict[str, Case]
) -> None:
    client.force_login(lawyer)
    assert client.post(reverse("cases:case_search_cpr"), {"cpr": "0101181234"}).status_code == 403
    assert client.get(reverse("cases:case_search_cpr")).status_code == 405
    assert "Find et barns sager ud fra CPR-nummer" not in _html(client, reverse("cases:case_list"))


def test_the_excel_download_survives_control_characters_stored_before_they_were_refused(
    lawyer: User, cases: dict[str, Case]
) -> None:
    # Stored text from before input refused control characters: written past the services on purpose.
    Case.objects.filter(pk=cases["a"].pk).update(source_ref="2024\x0b0001")
    client = Client()
    client.force_login(lawyer)
    response = client.get(reverse("cases:case_list_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    cells = {str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row}
    workbook.close()
    assert "2024[U+000B]0001" in cells
