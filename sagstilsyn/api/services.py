"""Services of the API: API clients (tokens) and recording events pushed by a case system.

Recording reuses `events_record` (validation, all or nothing, idempotent write, obligations
recomputed); this module only turns the JSON of one request into `EventInput`s, strictly inside the
client's own municipality and under the client's own source name.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from sagstilsyn.api.models import ApiClient
from sagstilsyn.cases.models import CaseEvent
from sagstilsyn.cases.services.event_inputs import EventInput, EventsRejected, EventsResult, RowError
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.core.cpr import CprError, cpr_normalize
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.core.services.audit import audit_record

logger = logging.getLogger(__name__)

#: Every token starts with this, so a leaked one is easy to recognise (e.g. by secret scanners).
TOKEN_PREFIX = "sgs_"  # noqa: S105 - a public prefix, not a secret
SOURCE_MAX_LENGTH = 60
#: The fields of one event, in the order of data-contract.md §1; everything else is an attribute.
EVENT_FIELDS = (
    "event_id",
    "case_id",
    "child_id",
    "cpr",
    "birth_date",
    "unit",
    "group",
    "caseworker",
    "type",
    "at",
)
REQUIRED_FIELDS = ("event_id", "case_id", "child_id", "unit", "type", "at")
AT_FORMAT = (
    "skal være en ISO-dato (ÅÅÅÅ-MM-DD) eller et ISO-tidspunkt med UTC-forskydning, "
    "fx 2024-12-20T14:00:00+01:00"
)


class ApiClientError(ValueError):
    """An API client cannot be created or changed; the message is Danish."""


class ApiAuthError(Exception):
    """A request without a valid token; the message is Danish and never contains the token."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_label(client: ApiClient) -> str:
    """How the client appears as the actor in the audit trail and the access log."""
    return f"API: {client.source} (klient {client.pk})"


def api_client_create(
    *, municipality: Municipality, source: str, actor: User | None, actor_label: str | None = None
) -> tuple[ApiClient, str]:
    """Create a client for `source` in `municipality`; return it and its token (shown this once only)."""
    source = source.strip()
    if not source:
        raise ApiClientError("kilden (fagsystemets navn) skal udfyldes")
    if len(source) > SOURCE_MAX_LENGTH:
        raise ApiClientError(f"kilden må højst være {SOURCE_MAX_LENGTH} tegn")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            municipality=municipality,
            source=source,
            token_hash=token_hash(token),
            token_prefix=token[:12],
            created_at=timezone.now(),
            created_by=actor,
            created_by_label=actor_label or (actor.username if actor is not None else "system"),
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="api_client.create",
            municipality=municipality,
            target_type="api_client",
            target_id=client.pk,
            target_label=str(client),
            after={"source": source, "token_prefix": client.token_prefix, "active": True},
        )
    return client, token


def api_client_revoke(*, client: ApiClient, actor: User | None, actor_label: str | None = None) -> ApiClient:
    """Revoke the client's token for good; revoking a revoked client changes nothing."""
    if not client.active:
        return client
    with transaction.atomic():
        client.active = False
        client.revoked_at = timezone.now()
        client.save(update_fields=["active", "revoked_at"])
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="api_client.revoke",
            municipality=client.municipality,
            target_type="api_client",
            target_id=client.pk,
            target_label=str(client),
            before={"active": True},
            after={"active": False},
        )
    return client


def api_client_authenticate(*, token: str) -> ApiClient:
    """The active client holding `token` (its last use is noted), or ApiAuthError."""
    token = token.strip()
    if not token:
        raise ApiAuthError("Adgang nægtet: API-nøgle mangler (Authorization: Bearer <nøgle>).")
    client = ApiClient.objects.select_related("municipality").filter(token_hash=token_hash(token)).first()
    if client is None:
        raise ApiAuthError("Adgang nægtet: API-nøglen er ukendt.")
    if not client.active:
        raise ApiAuthError("Adgang nægtet: API-nøglen er tilbagekaldt.")
    client.last_used_at = timezone.now()
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=client.last_used_at)
    return client


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def parse_at(value: str) -> date | datetime:
    """An ISO date, or an ISO datetime (kept naive if given naive: events_record refuses it)."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if "T" not in value and " " not in value:
        raise ValueError(value)
    return datetime.fromisoformat(value)


def _parse_one(index: int, item: Mapping[str, Any]) -> tuple[EventInput | None, list[RowError]]:
    errors: list[RowError] = []
    for name in REQUIRED_FIELDS:
        if not _text(item.get(name)):
            errors.append(RowError(index, name, "", "skal udfyldes"))
    at: date | datetime | None = None
    if _text(item.get("at")):
        try:
            at = parse_at(_text(item.get("at")))
        except ValueError:
            errors.append(RowError(index, "at", _text(item.get("at")), AT_FORMAT))
    birth_date: date | None = None
    if _text(item.get("birth_date")):
        try:
            birth_date = date.fromisoformat(_text(item.get("birth_date")))
        except ValueError:
            errors.append(
                RowError(
                    index, "birth_date", _text(item.get("birth_date")), "skal være en ISO-dato (ÅÅÅÅ-MM-DD)"
                )
            )
    cpr = _text(item.get("cpr")) or None
    if cpr is not None:
        try:
            cpr_normalize(cpr)
        except CprError as error:
            errors.append(RowError(index, "cpr", "", str(error)))  # the value is never echoed
    attrs = item.get("attributes") or {}
    if not isinstance(attrs, Mapping):
        errors.append(RowError(index, "attributes", "", "skal være et objekt med hændelsens egenskaber"))
        attrs = {}
    if errors or at is None:
        return None, errors
    return (
        EventInput(
            row=index,
            event_id=_text(item.get("event_id")),
            case_id=_text(item.get("case_id")),
            child_id=_text(item.get("child_id")),
            unit=_text(item.get("unit")),
            type=_text(item.get("type")),
            at=at,
            attrs=dict(attrs),
            cpr=cpr,
            birth_date=birth_date,
            group=_text(item.get("group")),
            caseworker=_text(item.get("caseworker")),
        ),
        [],
    )


def api_events_record(
    *, client: ApiClient, items: Sequence[Mapping[str, Any]], dry_run: bool = False
) -> EventsResult:
    """Record the events of one request into the client's municipality under the client's source.

    `items` are the request's events as mappings (data-contract.md §1, attributes under
    `attributes`); an error's `row` is the event's index in the request. All or nothing: any bad
    event raises EventsRejected naming every bad event, and nothing is written.
    """
    inputs: list[EventInput] = []
    errors: list[RowError] = []
    for index, item in enumerate(items):
        parsed, problems = _parse_one(index, item)
        errors.extend(problems)
        if parsed is not None:
            inputs.append(parsed)
    label = client_label(client)
    if errors:
        if inputs:  # name the other events' problems too, in a run that writes nothing
            try:
                events_record(
                    municipality=client.municipality,
                    inputs=inputs,
                    source=client.source,
                    dry_run=True,
                    actor_label=label,
                )
            except EventsRejected as rejected:
                errors.extend(rejected.errors)
        raise EventsRejected(errors)
    result = events_record(
        municipality=client.municipality,
        inputs=inputs,
        source=client.source,
        actor=None,
        actor_label=label,
        dry_run=dry_run,
    )
    logger.info(
        "API-klient %s (%s, kommune %s): %s hændelser, %s nye, %s ændrede%s",
        client.pk,
        client.source,
        client.municipality.code,
        result.rows,
        result.events_created,
        result.events_updated,
        " (prøvekørsel)" if dry_run else "",
    )
    return result


def api_event_read(*, client: ApiClient, event_id: str) -> CaseEvent | None:
    """One event the client's system sent (same municipality and source); the view is access-logged."""
    event = (
        CaseEvent.objects.select_related("case", "case__child", "case__unit", "case__caseworker")
        .filter(municipality=client.municipality, source=client.source, source_event_id=event_id)
        .first()
    )
    if event is not None:
        access_log_record(
            user=None,
            user_label=client_label(client),
            municipality_id=client.municipality_id,
            child_id=event.case.child_id,
            case_id=event.case_id,
            purpose="api_event",
        )
    return event
