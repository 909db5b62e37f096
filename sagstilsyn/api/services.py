"""Services of the API: API clients (tokens) and recording events pushed by a case system.

Recording reuses `events_record` (validation, all or nothing, idempotent write, obligations
recomputed); this module only turns the JSON of one request into `EventInput`s, strictly inside the
client's own municipality and under the client's own source name.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sagstilsyn.api.models import ApiClient
from sagstilsyn.cases.importing.event_rows import (
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    ReadEvent,
    event_read,
    read_errors_with_validation,
)
from sagstilsyn.cases.models import CaseEvent
from sagstilsyn.cases.services.event_inputs import EventsRejected, EventsResult, RowError
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.services.access_log import access_log_record
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.text_hygiene import free_text_problem, text_problem

logger = logging.getLogger(__name__)

#: Every token starts with this, so a leaked one is easy to recognise (e.g. by secret scanners).
TOKEN_PREFIX = "sgs_"  # noqa: S105 - a public prefix, not a secret
SOURCE_MAX_LENGTH = int(ApiClient._meta.get_field("source").max_length or 0)
#: The fields of one event (data-contract.md §1); everything else is an attribute.
EVENT_FIELDS = frozenset(REQUIRED_FIELDS + OPTIONAL_FIELDS)


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
    problem = free_text_problem(source)
    if problem is not None:
        raise ApiClientError(f"kilden {problem}")
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


def _read(index: int, item: Mapping[str, Any]) -> ReadEvent:
    """One request event read by the reader the events file shares; its attributes must be an object."""
    attributes = item.get("attributes") or {}
    read = event_read(
        row=index,
        values=item,
        attributes=attributes if isinstance(attributes, Mapping) else {},
        catalogue=catalogue_get(),
    )
    if not isinstance(attributes, Mapping):
        read.errors.append(RowError(index, "attributes", "", "skal være et objekt med hændelsens egenskaber"))
    return read


def api_events_record(
    *, client: ApiClient, items: Sequence[Mapping[str, Any]], dry_run: bool = False
) -> EventsResult:
    """Record the events of one request into the client's municipality under the client's source.

    `items` are the request's events as mappings (data-contract.md §1, attributes under
    `attributes`); an error's `row` is the event's index in the request. All or nothing: any bad
    event raises EventsRejected naming every bad event, and nothing is written. A call that would
    wait longer than SAGSTILSYN_API_WAIT_SECONDS behind another writer (an import) raises CasesBusy.
    """
    reads = [_read(index, item) for index, item in enumerate(items)]
    inputs = [read.event for read in reads]
    errors = [error for read in reads for error in read.errors]
    label = client_label(client)
    if errors:  # name the other events' problems too, writing nothing
        raise EventsRejected(
            read_errors_with_validation(municipality=client.municipality, inputs=inputs, read_errors=errors)
        )
    result = events_record(
        municipality=client.municipality,
        inputs=inputs,
        source=client.source,
        actor=None,
        actor_label=label,
        dry_run=dry_run,
        wait_seconds=settings.SAGSTILSYN_API_WAIT_SECONDS,
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
    """One event the client's system sent (same municipality and source); the view is access-logged.
    An id with a forbidden control character (NUL: PostgreSQL refuses it) cannot be stored: None."""
    if text_problem(event_id) is not None:
        return None
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
