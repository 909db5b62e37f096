"""The CPR probe matrix (issue 11 point 4): a CPR number fed through every input the system has.

Each input is one `Probe` in `PROBES`: how to feed a text to it, and what must happen. A CPR number in
free text, an id, a name or a query parameter is refused with a Danish message saying so (or, where the
input is a closed list of values, refused as an unknown value, or dropped); the CPR column, the API's
`cpr` field and the CPR search take it as designed. Whatever happens, the number never comes back
unmasked: not in the page or JSON, not in a redirect's Location, not in an export, not in anything
stored (every text column of every table is searched). The log lines written meanwhile are grepped by
tests/conftest.py like every test's. A new input is one more entry in `PROBES`.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import models
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.api.services import ApiClientError
from sagstilsyn.cases.importing.errors import ImportRejected
from sagstilsyn.cases.importing.services import (
    import_events_file,
    import_organisation_file,
    import_staff_file,
)
from sagstilsyn.core.cpr import cpr_spans, redact
from sagstilsyn.core.models import Role
from sagstilsyn.core.services.organisation import (
    OrganisationError,
    municipality_ensure,
    unit_ensure,
    user_create,
)
from tests.factories import AccessWorld, make_api_client

#: The probe's CPR number (9 September 2017) and the ways it is written into a text.
CPR = "0909179679"
IN_TEXTS = ("0909179679", "090917-9679", "SAG-090917-9679", "note 0909179679 x")
#: For inputs that hold a CPR number and nothing else (the CPR column, the CPR search).
BARE = ("0909179679", "090917-9679")
#: What a refusal for holding a CPR number says (CPR_IN_TEXT and the reference columns' messages).
SAYS_CPR = "CPR-nummer"
REFUSED, ACCEPTED, DROPPED, REDACTED = "refused", "accepted", "dropped", "redacted"

EVENT_HEADER = (
    "event_id",
    "case_id",
    "child_id",
    "cpr",
    "unit",
    "type",
    "at",
    "group",
    "caseworker",
    "notifier",
)
EVENT_ROW = {
    "event_id": "P-1",
    "case_id": "SAG-PROBE",
    "child_id": "BARN-PROBE",
    "cpr": "",
    "unit": "BFE-NORD",
    "type": "concern_received",
    "at": "2025-01-06T09:00:00+01:00",
    "group": "children",
    "caseworker": "matrix-caseworker",
    "notifier": "professional",
}
ORGANISATION_ROW = {
    "municipality": "101",
    "municipality_name": "Københavns Kommune",
    "centre": "Borgercenter Børn og Unge",
    "unit": "BFE-NORD",
    "unit_name": "Børnefamilieenheden Nord",
    "kind": "unit",
}
STAFF_ROW = {
    "municipality": "101",
    "username": "ny-medarbejder",
    "name": "Ny Medarbejder",
    "email": "ny@kk.example",
    "role": "caseworker",
    "unit": "BFE-NORD",
    "group": "children",
}


@dataclass
class Answer:
    """What came back: whether the input was refused, the Danish message, and every text that left the
    system (pages, JSON, Location headers, exports)."""

    refused: bool
    message: str = ""
    shown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Probe:
    """One input: `feed(client, world, text)` puts the text in, `expect` is what must happen to it, and a
    refusal must say `says` (empty: any Danish refusal, for closed lists of values and dates)."""

    feed: Callable[[Client, AccessWorld, str], Answer]
    expect: str = REFUSED
    says: str = SAYS_CPR
    texts: tuple[str, ...] = IN_TEXTS


# --- reading what left the system -------------------------------------------------------------------


def _response_texts(response: HttpResponseBase) -> list[str]:
    """The body (an XLSX's sheets unzipped) and the Location header of a test client's response."""
    texts = [str(response.get("Location", ""))]
    content = bytes(getattr(response, "content", b""))
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            texts += [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
    else:
        texts.append(content.decode("utf-8", "replace"))
    return texts


def _shows_the_number(text: str) -> bool:
    return any(match.group(1) + match.group(2) == CPR for match in cpr_spans(text))


def _stored_texts() -> list[str]:
    """Every text value of every table: character, text and JSON columns of every model."""
    found: list[str] = []
    kinds = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            found += [f"{model.__name__}: {json.dumps(value, default=str)}" for value in row if value]
    return found


# --- the events file, through the upload page -----------------------------------------------------


def _csv(values: dict[str, str], header: tuple[str, ...] = EVENT_HEADER) -> bytes:
    lines = [";".join(header), ";".join(values.get(column, "") for column in header)]
    return ("\n".join(lines) + "\n").encode()


def _upload(
    client: Client, world: AccessWorld, data: bytes, *, name: str = "haendelser.csv", source: str = "DUBU"
) -> Answer:
    client.force_login(world.users[Role.ADMINISTRATOR])
    upload = io.BytesIO(data)
    upload.name = name
    posted = client.post(reverse("cases:import_upload"), {"file": upload, "source": source})
    shown = _response_texts(posted)
    if posted.status_code != 302:
        return Answer(refused=True, message=shown[-1], shown=shown)
    body = client.get(posted["Location"]).content.decode()
    job_id = posted["Location"].rstrip("/").rsplit("/", 1)[-1]
    shown += [
        body,
        *_response_texts(client.get(reverse("cases:import_job_report", kwargs={"job_id": job_id}))),
    ]
    shown += _response_texts(client.get(reverse("cases:import_upload")))
    return Answer(refused="Intet er indlæst" in body, message=body, shown=shown)


def _events_column(column: str) -> Callable[[Client, AccessWorld, str], Answer]:
    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        return _upload(client, world, _csv({**EVENT_ROW, column: text}))

    return feed


def _events_header(client: Client, world: AccessWorld, text: str) -> Answer:
    return _upload(client, world, _csv({**EVENT_ROW, text: "x"}, (*EVENT_HEADER, text)))


def _upload_name(client: Client, world: AccessWorld, text: str) -> Answer:
    return _upload(client, world, _csv(EVENT_ROW), name=f"{text}.csv")


def _upload_source(client: Client, world: AccessWorld, text: str) -> Answer:
    return _upload(client, world, _csv(EVENT_ROW), source=text)


def _import_source(client: Client, world: AccessWorld, text: str) -> Answer:
    """`sagstilsyn import events --source`: the service the command calls."""
    try:
        import_events_file(data=_csv(EVENT_ROW), municipality=world.copenhagen, source=text)
    except ImportRejected as rejected:
        return Answer(refused=True, message="\n".join(rejected.lines()), shown=rejected.lines())
    return Answer(refused=False)


# --- the organisation file and the organisation services -------------------------------------------


def _organisation_column(column: str) -> Callable[[Client, AccessWorld, str], Answer]:
    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        values = {**ORGANISATION_ROW, column: text}
        data = (";".join(values) + "\n" + ";".join(values.values()) + "\n").encode()
        try:
            import_organisation_file(data=data, filename="organisation.csv")
        except ImportRejected as rejected:
            return Answer(refused=True, message="\n".join(rejected.lines()), shown=rejected.lines())
        return Answer(refused=False)

    return feed


def _organisation_service(
    call: Callable[[AccessWorld, str], object],
) -> Callable[[Client, AccessWorld, str], Answer]:
    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        try:
            call(world, text)
        except OrganisationError as error:
            return Answer(refused=True, message=str(error), shown=[str(error)])
        return Answer(refused=False)

    return feed


def _staff_column(column: str) -> Callable[[Client, AccessWorld, str], Answer]:
    """A column of the staff file (data-contract.md §0b), through the service the command and the upload
    page call."""

    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        values = {**STAFF_ROW, column: text}
        data = (";".join(values) + "\n" + ";".join(values.values()) + "\n").encode()
        try:
            import_staff_file(data=data, filename="medarbejdere.csv", municipality=world.copenhagen)
        except ImportRejected as rejected:
            return Answer(refused=True, message="\n".join(rejected.lines()), shown=rejected.lines())
        return Answer(refused=False)

    return feed


def _admin_form(
    url_name: str, fields: Callable[[str], dict[str, str]], kwargs: Callable[[AccessWorld], dict[str, object]]
) -> Callable[[Client, AccessWorld, str], Answer]:
    """A form of the administrator's pages (ADR 0022), posted with `fields(text)`; refused is a 400 with
    the Danish message, and the page shown again never repeats the number."""

    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        client.force_login(world.users[Role.ADMINISTRATOR])
        url = reverse(url_name, kwargs=kwargs(world))
        response = client.post(url, fields(text))
        shown = _response_texts(response)
        if response.status_code == 302:
            shown += _response_texts(client.get(response["Location"]))
        return Answer(refused=response.status_code == 400, message=shown[-1], shown=shown)

    return feed


def _nothing(world: AccessWorld) -> dict[str, object]:
    return {}


def _own_unit(world: AccessWorld) -> dict[str, object]:
    return {"unit_id": world.units["own"].pk}


def _a_caseworker(world: AccessWorld) -> dict[str, object]:
    return {"user_id": world.users[Role.CASEWORKER].pk}


# --- the API -----------------------------------------------------------------------------------------


def _api_post(client: Client, world: AccessWorld, item: dict[str, object]) -> Answer:
    _, token = make_api_client(world.copenhagen, source="DUBU")
    response = client.post(
        "/api/v1/events",
        data=json.dumps({"events": [item]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    shown = _response_texts(response)
    return Answer(refused=response.status_code == 422, message=shown[-1], shown=shown)


API_EVENT: dict[str, object] = {
    "event_id": "P-1",
    "case_id": "SAG-PROBE",
    "child_id": "BARN-PROBE",
    "unit": "BFE-NORD",
    "group": "children",
    "caseworker": "matrix-caseworker",
    "type": "concern_received",
    "at": "2025-01-06T09:00:00+01:00",
    "attributes": {"notifier": "professional"},
}


def _api_field(name: str) -> Callable[[Client, AccessWorld, str], Answer]:
    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        return _api_post(client, world, {**API_EVENT, name: text})

    return feed


def _api_attribute_value(client: Client, world: AccessWorld, text: str) -> Answer:
    return _api_post(client, world, {**API_EVENT, "attributes": {"notifier": text}})


def _api_attribute_name(client: Client, world: AccessWorld, text: str) -> Answer:
    return _api_post(client, world, {**API_EVENT, "attributes": {"notifier": "professional", text: "x"}})


def _api_event_get(client: Client, world: AccessWorld, text: str) -> Answer:
    _, token = make_api_client(world.copenhagen, source="DUBU")
    response = client.get(f"/api/v1/events/{text}", headers={"Authorization": f"Bearer {token}"})
    return Answer(refused=response.status_code == 404, shown=_response_texts(response))


def _api_client_source(client: Client, world: AccessWorld, text: str) -> Answer:
    """`sagstilsyn api token create --source`: the service the command calls."""
    try:
        make_api_client(world.copenhagen, source=text)
    except ApiClientError as error:
        return Answer(refused=True, message=str(error), shown=[str(error)])
    return Answer(refused=False)


# --- pages: the searches, the oversigtsskema, the log-in, every list page's query --------------------


def _case_search(client: Client, world: AccessWorld, text: str) -> Answer:
    client.force_login(world.users[Role.CASEWORKER])
    response = client.get(reverse("cases:case_list"), {"q": text})
    shown = _response_texts(response)
    shown += _response_texts(client.get(response["Location"])) if response.status_code == 302 else []
    return Answer(refused=response.status_code == 302, message=shown[-1], shown=shown)


def _cpr_search(client: Client, world: AccessWorld, text: str) -> Answer:
    client.force_login(world.users[Role.CASEWORKER])
    response = client.post(reverse("cases:case_search_cpr"), {"cpr": text})
    return Answer(refused=response.status_code != 200, shown=_response_texts(response))


def _checklist(fields: Callable[[str], dict[str, str]]) -> Callable[[Client, AccessWorld, str], Answer]:
    """A mark of the oversigtsskema posted with `fields(text)`; the page and its print view read back."""

    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        client.force_login(world.users[Role.CASEWORKER])
        url = reverse("cases:checklist", kwargs={"case_id": world.cases["own"].pk})
        response = client.post(url, {"checked": "on", **fields(text)})
        shown = _response_texts(response) + _response_texts(
            client.get(reverse("cases:checklist_print", kwargs={"case_id": world.cases["own"].pk}))
        )
        return Answer(refused=response.status_code == 400, message=shown[1], shown=shown)

    return feed


def _checklist_sign_off(client: Client, world: AccessWorld, text: str) -> Answer:
    """The koordinator's sign-off of the oversigtsskema with `text` as its note; the page and its print
    view read back."""
    client.force_login(world.users[Role.COORDINATOR])
    url = reverse("cases:checklist", kwargs={"case_id": world.cases["own"].pk})
    response = client.post(url, {"action": "sign_off", "note": text})
    shown = _response_texts(response) + _response_texts(
        client.get(reverse("cases:checklist_print", kwargs={"case_id": world.cases["own"].pk}))
    )
    return Answer(refused=response.status_code == 400, message=shown[1], shown=shown)


def _login_username(client: Client, world: AccessWorld, text: str) -> Answer:
    response = client.post(reverse("core:login"), {"username": text, "password": "forkert-kode-123"})
    shown = _response_texts(response)
    return Answer(refused=response.status_code == 200, message=shown[-1], shown=shown)


def _login_next(client: Client, world: AccessWorld, text: str) -> Answer:
    shown = _response_texts(client.get(reverse("core:login"), {"next": f"/sager/?q={text}"}))
    response = client.post(
        f"{reverse('core:login')}?next=/sager/%3Fq%3D{text}",
        {"username": "matrix-caseworker", "password": "hemmelig-kode-123", "next": f"/sager/?q={text}"},
    )
    shown += _response_texts(response)
    return Answer(refused=response["Location"] == "/", shown=shown)


def _code_page(fields: Callable[[str], dict[str, str]]) -> Callable[[Client, AccessWorld, str], Answer]:
    """The second factor's code page of a leader who has password-logged in but not given the code."""

    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        with override_settings(SAGSTILSYN_OTP_REQUIRED=True):
            client.force_login(world.users[Role.DEPARTMENT_LEADER])
            shown = _response_texts(client.get(reverse("core:otp"), {"next": f"/sager/?q={text}"}))
            response = client.post(reverse("core:otp"), fields(text))
        shown += _response_texts(response)
        return Answer(refused=response.status_code == 200, message=shown[-1], shown=shown)

    return feed


#: Every page read by GET with a query, as (URL name, its kwargs from the world), and the parameter
#: names any of them reads (and one none reads).
LIST_PAGES: tuple[tuple[str, Callable[[AccessWorld], dict[str, object]]], ...] = (
    ("web:home", lambda w: {}),
    ("web:units_xlsx", lambda w: {}),
    ("cases:case_list", lambda w: {}),
    ("cases:case_list_xlsx", lambda w: {}),
    ("cases:case_detail", lambda w: {"pk": w.cases["own"].pk}),
    ("cases:followup", lambda w: {}),
    ("cases:followup_xlsx", lambda w: {}),
    ("cases:checklist", lambda w: {"case_id": w.cases["own"].pk}),
    ("cases:checklist_print", lambda w: {"case_id": w.cases["own"].pk}),
    ("cases:import_upload", lambda w: {}),
    ("core:jobs", lambda w: {}),
    ("web:administration", lambda w: {}),
    ("core:unit_list", lambda w: {}),
    ("core:unit_list_xlsx", lambda w: {}),
    ("core:unit_edit", lambda w: {"unit_id": w.units["own"].pk}),
    ("core:staff_list", lambda w: {}),
    ("core:staff_list_xlsx", lambda w: {}),
    ("core:staff_detail", lambda w: {"user_id": w.users[Role.CASEWORKER].pk}),
    ("admin-api:clients", lambda w: {}),
    ("admin-api:clients_xlsx", lambda w: {}),
    ("cases:import_columns", lambda w: {}),
    ("core:job_runs_xlsx", lambda w: {}),
    ("core:rules", lambda w: {}),
    ("core:catalogue_xlsx", lambda w: {}),
)
QUERY_NAMES = (
    "q",
    "unit",
    "group",
    "caseworker",
    "status",
    "overdue",
    "sort",
    "side",
    "uge",
    "enhed",
    "gruppe",
    "sagsbehandler",
    "next",
    "ukendt",
)


def _list_queries(role: str) -> Callable[[Client, AccessWorld, str], Answer]:
    def feed(client: Client, world: AccessWorld, text: str) -> Answer:
        client.force_login(world.users[role])
        shown: list[str] = []
        errors: list[str] = []
        for name, kwargs in LIST_PAGES:
            response = client.get(reverse(name, kwargs=kwargs(world)), dict.fromkeys(QUERY_NAMES, text))
            if response.status_code >= 500:
                errors.append(f"{name}: {response.status_code}")
            shown += [f"{name}: {text}" for text in _response_texts(response)]
        assert not errors
        return Answer(refused=False, shown=shown)

    return feed


def _access_review_period(client: Client, world: AccessWorld, text: str) -> Answer:
    """The data protection officer's period (?fra=&til=): a wrong value is named back, masked."""
    client.force_login(world.users[Role.DATA_PROTECTION_OFFICER])
    shown: list[str] = []
    for name in ("cases:unusual_access", "cases:unusual_access_xlsx"):
        response = client.get(reverse(name), {"fra": text, "til": text})
        assert response.status_code < 500
        shown += [f"{name}: {text}" for text in _response_texts(response)]
    return Answer(refused=False, shown=shown)


def _committee_report_query(client: Client, world: AccessWorld, text: str) -> Answer:
    """The committee report's ?periode=&format= (a 400 that names the parameter, never the value)."""
    client.force_login(world.users[Role.COMMITTEE_MEMBER])
    shown: list[str] = []
    for name in ("reports:committee_report", "reports:committee_reports"):
        response = client.get(reverse(name), {"periode": text, "format": text})
        assert response.status_code < 500
        shown += [f"{name}: {text}" for text in _response_texts(response)]
    return Answer(refused=False, shown=shown)


def _not_found_path(client: Client, world: AccessWorld, text: str) -> Answer:
    client.force_login(world.users[Role.ADMINISTRATOR])
    shown = _response_texts(client.get(f"/sager/{text}/")) + _response_texts(client.get(f"/regler/{text}/"))
    return Answer(refused=True, shown=shown)


#: Every input, by name. A new input of the system is one more entry here.
PROBES: dict[str, Probe] = {
    # The events file: every column, a column's name, the file's name, the source.
    **{
        f"events file column {column}": Probe(_events_column(column))
        for column in ("event_id", "case_id", "child_id", "unit", "caseworker")
    },
    **{
        f"events file column {column}": Probe(_events_column(column), says="")
        for column in ("type", "at", "group", "notifier")
    },
    "events file column birth_date": Probe(
        lambda c, w, t: _upload(c, w, _csv({**EVENT_ROW, "birth_date": t}, (*EVENT_HEADER, "birth_date"))),
        says="",
    ),
    "events file column cpr": Probe(_events_column("cpr"), expect=ACCEPTED, texts=BARE),
    "events file column child_name": Probe(
        lambda c, w, t: _upload(c, w, _csv({**EVENT_ROW, "child_name": t}, (*EVENT_HEADER, "child_name")))
    ),
    "events file column name": Probe(_events_header, says=""),
    "events file name": Probe(_upload_name, expect=REDACTED),
    "upload page source": Probe(_upload_source),
    "import command source": Probe(_import_source),
    # The organisation file and the organisation services (the demo, the admin's commands).
    **{
        f"organisation file column {column}": Probe(_organisation_column(column), says=says)
        for column, says in (
            ("municipality", SAYS_CPR),
            ("municipality_name", SAYS_CPR),
            ("centre", SAYS_CPR),
            ("unit", SAYS_CPR),
            ("unit_name", SAYS_CPR),
            ("kind", ""),
        )
    },
    "municipality name": Probe(_organisation_service(lambda w, t: municipality_ensure(code="999", name=t))),
    "unit name": Probe(
        _organisation_service(lambda w, t: unit_ensure(municipality=w.copenhagen, code="BFE-NY", name=t))
    ),
    "unit code": Probe(
        _organisation_service(lambda w, t: unit_ensure(municipality=w.copenhagen, code=t, name="Ny enhed"))
    ),
    "user name": Probe(
        _organisation_service(lambda w, t: user_create(municipality=w.copenhagen, username=t))
    ),
    "user's full name": Probe(
        _organisation_service(
            lambda w, t: user_create(
                municipality=w.copenhagen, username="ny-bruger", first_name=t, last_name=t
            )
        )
    ),
    # The staff file (data-contract.md §0b).
    **{
        f"staff file column {column}": Probe(_staff_column(column), says=says)
        for column, says in (
            ("municipality", SAYS_CPR),
            ("username", SAYS_CPR),
            ("name", SAYS_CPR),
            ("email", SAYS_CPR),
            ("unit", SAYS_CPR),
            ("role", ""),
            ("group", ""),
        )
    },
    # The administrator's pages: units, staff, API clients.
    "administration: new unit's code": Probe(
        _admin_form("core:unit_list", lambda t: {"code": t, "name": "Ny", "kind": "unit"}, _nothing)
    ),
    "administration: new unit's name": Probe(
        _admin_form("core:unit_list", lambda t: {"code": "BFE-NY", "name": t, "kind": "unit"}, _nothing)
    ),
    "administration: new unit's centre": Probe(
        _admin_form(
            "core:unit_list",
            lambda t: {"code": "BFE-NY", "name": "Ny", "kind": "unit", "centre": t},
            _nothing,
        )
    ),
    "administration: a unit's new name": Probe(
        _admin_form("core:unit_edit", lambda t: {"name": t, "kind": "unit"}, _own_unit)
    ),
    "administration: new person's user name": Probe(
        _admin_form("core:staff_list", lambda t: {"username": t, "name": "Ny Person"}, _nothing)
    ),
    "administration: new person's name": Probe(
        _admin_form("core:staff_list", lambda t: {"username": "ny-person", "name": t}, _nothing)
    ),
    "administration: a person's new name": Probe(
        _admin_form("core:staff_detail", lambda t: {"action": "rename", "name": t}, _a_caseworker)
    ),
    "administration: a person's new e-mail": Probe(
        _admin_form(
            "core:staff_detail", lambda t: {"action": "rename", "name": "Test", "email": t}, _a_caseworker
        )
    ),
    "administration: API client's source": Probe(
        _admin_form("admin-api:clients", lambda t: {"source": t}, _nothing)
    ),
    # The API: every string field of an event, an attribute's value and name, the path, the client.
    **{
        f"API field {name}": Probe(_api_field(name))
        for name in ("event_id", "case_id", "child_id", "child_name", "unit", "caseworker")
    },
    **{
        f"API field {name}": Probe(_api_field(name), says="")
        for name in ("type", "at", "group", "birth_date")
    },
    "API field cpr": Probe(_api_field("cpr"), expect=ACCEPTED, texts=BARE),
    "API attribute value": Probe(_api_attribute_value, says=""),
    "API attribute name": Probe(_api_attribute_name, says=""),
    "API event path": Probe(_api_event_get, says=""),
    "API client source": Probe(_api_client_source),
    # Pages.
    "case search (GET q)": Probe(_case_search, expect=DROPPED, says="Der søges ikke på CPR-numre her"),
    "CPR search (POST)": Probe(_cpr_search, expect=ACCEPTED, texts=BARE),
    "oversigtsskema note": Probe(_checklist(lambda t: {"item": "child_views", "note": t})),
    "oversigtsskema classification": Probe(
        _checklist(lambda t: {"item": "contact", "note": "Samvær aftalt", "choice": t}),
        says="klassifikation",
    ),
    "oversigtsskema item": Probe(_checklist(lambda t: {"item": t, "note": "Samtale holdt"}), says=""),
    "oversigtsskema sign-off note": Probe(_checklist_sign_off),
    "log-in user name": Probe(_login_username),
    "code page code": Probe(_code_page(lambda t: {"code": t}), says="Koden skal være 6 cifre"),
    "code page next address": Probe(
        _code_page(lambda t: {"code": "12", "next": f"/sager/?q={t}"}), expect=DROPPED, says=""
    ),
    "log-in next address": Probe(_login_next, expect=DROPPED, says=""),  # on to the start page instead
    "list pages' query parameters (leader)": Probe(_list_queries(Role.ADMINISTRATOR), expect=ACCEPTED),
    "list pages' query parameters (caseworker)": Probe(_list_queries(Role.CASEWORKER), expect=ACCEPTED),
    "the data protection officer's period": Probe(_access_review_period, expect=ACCEPTED),
    "the committee report's period and format": Probe(_committee_report_query, expect=ACCEPTED),
    "a path that is not found": Probe(_not_found_path, says=""),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "text"), [(name, text) for name, probe in PROBES.items() for text in probe.texts]
)
def test_a_cpr_number_is_refused_or_kept_from_every_output(
    client: Client, access_world: AccessWorld, settings: SettingsWrapper, name: str, text: str
) -> None:
    settings.IMPORT_INLINE = True
    probe = PROBES[name]
    answer = probe.feed(client, access_world, text)
    if probe.expect in (REFUSED, DROPPED):
        assert answer.refused, f"{name}: {text!r} blev ikke afvist"
        assert probe.says in answer.message
    if probe.expect == REDACTED:
        assert not answer.refused
    echoed = [shown for shown in answer.shown if _shows_the_number(shown)]
    assert not echoed, f"{name}: CPR-nummeret vises igen: {[redact(e)[:60] for e in echoed]}"
    stored = [value for value in _stored_texts() if _shows_the_number(value)]
    assert not stored, f"{name}: CPR-nummeret er gemt som tekst: {stored[:3]}"
