"""The administrator's page of API clients (API-klienter, ADR 0022): every client of the municipality with
its source, the token's first characters, when it was created and last used and whether it is active;
create one (its token is shown this once) and revoke one. Administrators only (`can_administer`); another
municipality's client is 404, as one that does not exist."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import SOURCE_MAX_LENGTH, ApiClientError, api_client_create, api_client_revoke
from sagstilsyn.core.access import can_administer, user_scope
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import Municipality, User
from sagstilsyn.law.calendar import today_local

DENIED = "Kun administratorer kan administrere API-klienter."
EXPORT_HEADERS = (
    "Id",
    "Kilde",
    "Nøglens begyndelse",
    "Oprettet",
    "Oprettet af",
    "Senest brugt",
    "Status",
    "Tilbagekaldt",
)


class ClientForm(forms.Form):
    source = forms.CharField(
        label="Kilde (fagsystemets navn)",
        max_length=SOURCE_MAX_LENGTH,
        help_text="Fx DUBU. Hændelserne fra klienten gemmes under dette kildenavn.",
    )


def _administrator(request: HttpRequest) -> tuple[User, Municipality]:
    user = request.user
    if not can_administer(user_scope(user)) or not isinstance(user, User) or user.municipality is None:
        raise PermissionDenied(DENIED)
    return user, user.municipality


def _clients(municipality: Municipality) -> list[ApiClient]:
    return list(
        ApiClient.objects.filter(municipality=municipality)
        .select_related("created_by")
        .order_by("-active", "source", "id")
    )


def _local(moment: object) -> object:
    return timezone.localtime(moment) if moment is not None else None  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
def api_clients(request: HttpRequest) -> HttpResponse:
    user, municipality = _administrator(request)
    form = ClientForm(request.POST or None)
    token = ""
    created: ApiClient | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created, token = api_client_create(
                municipality=municipality, source=form.cleaned_data["source"], actor=user
            )
        except ApiClientError as error:
            form.add_error("source", f"{str(error)[:1].upper()}{str(error)[1:]}.")
        else:
            form = ClientForm()
    if form.errors:  # shown again for correction: masked, never echoed
        form.data = {name: redact(str(value)) for name, value in form.data.items()}
    context = {"clients": _clients(municipality), "form": form, "token": token, "created": created}
    return render(request, "api/clients.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def api_client_revoke_view(request: HttpRequest, client_id: int) -> HttpResponse:
    """Revoke a client's token and show the page again (revoking a revoked one changes nothing)."""
    user, municipality = _administrator(request)
    client = (
        ApiClient.objects.filter(pk=client_id, municipality=municipality)
        .select_related("municipality")
        .first()
    )
    if client is None:
        raise Http404("API-klienten findes ikke.")
    was_active = client.active
    api_client_revoke(client=client, actor=user)
    revoked = (
        f"API-nøglen for {client.source} ({client.token_prefix}…) er tilbagekaldt." if was_active else ""
    )
    context = {"clients": _clients(municipality), "form": ClientForm(), "token": "", "revoked": revoked}
    return render(request, "api/clients.html", context)


@login_required
@require_GET
def api_clients_xlsx(request: HttpRequest) -> HttpResponse:
    _, municipality = _administrator(request)
    title = export_title("API-klienter", municipality.name)
    rows = [
        [
            client.pk,
            client.source,
            f"{client.token_prefix}…",
            _local(client.created_at),
            client.created_by.display_name if client.created_by else client.created_by_label,
            _local(client.last_used_at),
            "Aktiv" if client.active else "Tilbagekaldt",
            _local(client.revoked_at),
        ]
        for client in _clients(municipality)
    ]
    return xlsx_response(
        title=title,
        filename=f"api-klienter-{today_local().isoformat()}.xlsx",
        sheet_title="API-klienter",
        headers=EXPORT_HEADERS,
        rows=rows,
    )
