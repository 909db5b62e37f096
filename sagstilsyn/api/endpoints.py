"""API v1 (django-ninja): thin endpoints over sagstilsyn.api.services; OpenAPI at /api/v1/openapi.json.

Errors are Danish JSON. A CPR number is never echoed: pydantic's input values are dropped, an
error's value is omitted for the `cpr` field and anything shaped like a CPR number is masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Status
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from sagstilsyn.api.docs import LocalSwagger
from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.schemas import (
    MAX_EVENTS,
    EventOut,
    EventsIn,
    EventsResultOut,
    HealthOut,
    MessageOut,
    RejectedOut,
)
from sagstilsyn.api.services import (
    EVENT_FIELDS,
    ApiAuthError,
    api_client_authenticate,
    api_event_read,
    api_events_record,
)
from sagstilsyn.cases.importing.errors import MESSAGE_MAX, shown_value
from sagstilsyn.cases.importing.event_rows import MISSING, PROTECTED_FIELDS
from sagstilsyn.cases.services.event_inputs import EventsRejected, RowError
from sagstilsyn.cases.store import CasesBusy, case_store
from sagstilsyn.core.text_hygiene import safe_text

NOTHING_RECORDED = "Intet er indlæst."


class ClientToken(HttpBearer):
    """`Authorization: Bearer <token>`, checked against the stored hashes of active API clients."""

    def __call__(self, request: HttpRequest) -> ApiClient | None:
        # Overridden so that a malformed header is never logged (ninja logs it with DEBUG on).
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiAuthError("Adgang nægtet: API-nøgle mangler (Authorization: Bearer <nøgle>).")
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return api_client_authenticate(token=token)


class DanishJSONRenderer(JSONRenderer):
    """JSON in UTF-8 with Danish letters as they are (æ, not \\u00e6)."""

    media_type = "application/json; charset=utf-8"
    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="Sagstilsyn API",
    version="1",
    description=(
        "API for fagsystemer (DUBU, Nexus, CSC Social m.fl.), der sender hændelser i børnesager til "
        "Sagstilsyn. Felterne er de samme som i datakontraktens hændelsesfil (data-contract.md §1). "
        "Hver API-nøgle hører til ét fagsystem (kilde) i én kommune; hændelserne indlæses i den kommune "
        "og under den kilde. Indlæsningen er alt eller intet og kan gentages uden at dublere noget. "
        "Et CPR-nummer gentages aldrig i et svar."
    ),
    urls_namespace="api-v1",
    auth=ClientToken(),
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=DanishJSONRenderer(),
)


def _client(request: HttpRequest) -> ApiClient:
    client = request.auth  # type: ignore[attr-defined]
    assert isinstance(client, ApiClient)  # noqa: S101 - ClientToken guarantees it
    return client


# --- errors -------------------------------------------------------------------------------------


def _field(column: str) -> str:
    return column if column in EVENT_FIELDS or column == "attributes" else f"attributes.{column}"


def _row_error(error: RowError) -> dict[str, Any]:
    field = safe_text(_field(error.column))  # an attribute's name is the caller's text
    shown = None if field in PROTECTED_FIELDS or not error.value else shown_value(error.column, error.value)
    message = re.sub(r"række (\d+)", r"events[\1]", error.message)
    return {
        "index": error.row,
        "field": field,
        "value": shown,
        "message": safe_text(message, limit=MESSAGE_MAX),
    }


#: Danish messages for pydantic's error types; `{max_length}` comes from the error's context.
PYDANTIC_MESSAGES = {
    "missing": MISSING,
    "string_type": "skal være tekst",
    "string_too_short": "må ikke være tom",
    "string_unicode": "indeholder et tegn, som ikke kan gemmes (en enlig surrogat, U+D800–U+DFFF)",
    "string_too_long": "værdien er for lang (højst {max_length} tegn)",
    "too_short": "skal indeholde mindst én hændelse",
    "too_long": f"højst {MAX_EVENTS} hændelser pr. kald; del dem op i flere kald",
    "literal_error": "skal være investigation, children eller youth",
    "extra_forbidden": "ukendt felt (egenskaber hører under attributes)",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
    "list_type": "skal være en liste",
    "dict_type": "skal være et JSON-objekt",
    "model_type": "skal være et JSON-objekt",
    "model_attributes_type": "skal være et JSON-objekt",
}


def _pydantic_message(error: dict[str, Any]) -> str:
    message = PYDANTIC_MESSAGES.get(str(error.get("type", "")), "ugyldig værdi")
    ctx = error.get("ctx") or {}
    return message.replace("{max_length}", str(ctx.get("max_length")))


def _pydantic_error(error: dict[str, Any]) -> dict[str, Any]:
    loc = [part for part in error.get("loc", ()) if part not in ("body", "payload")]
    index: int | None = None
    field = ""
    if loc and loc[0] == "events" and len(loc) > 1 and isinstance(loc[1], int):
        index = loc[1]
        field = ".".join(str(part) for part in loc[2:])
    else:
        field = ".".join(str(part) for part in loc)
    return {"index": index, "field": safe_text(field), "value": None, "message": _pydantic_message(error)}


def _rejected(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    return api.create_response(request, {"message": NOTHING_RECORDED, "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _rejected(request, [_pydantic_error(error) for error in exc.errors])


@api.exception_handler(EventsRejected)
def _on_events_rejected(request: HttpRequest, exc: EventsRejected) -> HttpResponse:
    return _rejected(request, [_row_error(error) for error in exc.errors])


@api.exception_handler(CasesBusy)
def _on_cases_busy(request: HttpRequest, exc: CasesBusy) -> HttpResponse:
    response = api.create_response(request, {"message": str(exc)}, status=503)
    response["Retry-After"] = str(max(1, round(settings.SAGSTILSYN_API_WAIT_SECONDS)))
    return response


@api.exception_handler(ApiAuthError)
def _on_auth_error(request: HttpRequest, exc: ApiAuthError) -> HttpResponse:
    response = api.create_response(request, {"message": str(exc)}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="sagstilsyn"'
    return response


@api.exception_handler(RequestDataTooBig)
def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    message = f"Kaldet er for stort; send højst {MAX_EVENTS} hændelser pr. kald. {NOTHING_RECORDED}"
    return api.create_response(request, {"message": message}, status=413)


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        message = f"Kaldets indhold er ikke gyldig JSON. {NOTHING_RECORDED}"
    elif exc.status_code == 404:
        message = "Ikke fundet."
    else:
        message = "Kaldet kunne ikke gennemføres."
    return api.create_response(request, {"message": message}, status=exc.status_code)


# --- endpoints ----------------------------------------------------------------------------------


@api.post(
    "/events",
    response={200: EventsResultOut, 401: MessageOut, 413: MessageOut, 422: RejectedOut, 503: MessageOut},
    summary="Indlæs hændelser",
    description=(
        "Indlæser hændelserne i API-nøglens kommune med API-nøglens fagsystem som kilde. Alt eller "
        "intet: er én hændelse forkert, gemmes intet, og svaret (422) nævner hver fejl med index, felt "
        "og dansk forklaring. Samme kald kan sendes igen uden at dublere noget (event_id er nøglen). "
        "Sagernes frister genberegnes i samme transaktion. Med dry_run: true kontrolleres alt, men "
        "intet gemmes."
    ),
    tags=["hændelser"],
)
def events_post(request: HttpRequest, payload: EventsIn) -> dict[str, Any]:
    items = [event.model_dump() for event in payload.events]
    result = api_events_record(client=_client(request), items=items, dry_run=payload.dry_run)
    verb = "ville blive indlæst (prøvekørsel; intet er gemt)" if result.dry_run else "er indlæst"
    noun = "hændelse" if result.rows == 1 else "hændelser"
    return {
        "message": f"{result.rows} {noun} {verb}: {result.events_created} nye, "
        f"{result.events_updated} ændrede, {result.events_unchanged} uændrede.",
        "dry_run": result.dry_run,
        "events": result.rows,
        "events_created": result.events_created,
        "events_updated": result.events_updated,
        "events_unchanged": result.events_unchanged,
        "cases_created": result.cases_created,
        "cases_moved": result.cases_moved,
        "children_created": result.children_created,
        "cases_recomputed": result.cases_recomputed,
        "obligations": result.obligations,
    }


@api.get(
    "/events/{event_id}",
    response={200: EventOut, 401: MessageOut, 404: MessageOut},
    summary="Hent en hændelse",
    description=(
        "Hændelsen med dette event_id fra API-nøglens eget fagsystem og kommune, som Sagstilsyn har "
        "gemt den (uden CPR-nummer). Opslaget skrives i adgangsloggen."
    ),
    tags=["hændelser"],
)
def event_get(request: HttpRequest, event_id: str) -> Status[dict[str, Any]]:
    event = api_event_read(client=_client(request), event_id=event_id)
    if event is None:
        return Status(404, {"message": "Hændelsen findes ikke for dette fagsystem i kommunen."})
    at = timezone.localtime(event.instant).isoformat() if event.instant else event.day.isoformat()
    case = event.case
    return Status(
        200,
        {
            "event_id": event.source_event_id,
            "case_id": case.source_ref,
            "child_id": case.child.source_ref,
            "unit": case.unit.code,
            "group": case.group or None,
            "caseworker": case.caseworker.username if case.caseworker else None,
            "type": event.type,
            "at": at,
            "attributes": event.attrs,
            "recorded_at": event.recorded_at,
        },
    )


@api.get(
    "/health",
    auth=None,
    response={200: HealthOut, 503: HealthOut},
    summary="Tjenestens tilstand",
    description="Svarer uden API-nøgle: 200, når tjenesten og databasen svarer.",
    tags=["drift"],
)
def health(request: HttpRequest) -> Status[dict[str, str]]:
    database = "ok" if case_store().database_answers() else "fejl"
    status = 200 if database == "ok" else 503
    return Status(
        status, {"status": "ok" if status == 200 else "fejl", "database": database, "api_version": "1"}
    )
