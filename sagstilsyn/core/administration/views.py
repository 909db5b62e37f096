"""The administrator's pages: units and groups, staff and their roles (ADR 0022).

Every change goes through a service in `core.services` (transactional, audited); a refused change is
shown in Danish beside the form and nothing is written. Anyone but an administrator gets 403 before any
object is looked up; another municipality's unit or person is 404, as one that does not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sagstilsyn.core.access import Scope, can_administer, is_municipality_role, user_scope
from sagstilsyn.core.administration.selectors import (
    STAFF_EXPORT_HEADERS,
    UNIT_EXPORT_HEADERS,
    staff_export_rows,
    staff_member,
    staff_search,
    unit_administered,
    unit_export_rows,
    units_administered,
)
from sagstilsyn.core.cpr import contains_cpr, redact
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.login.selectors import otp_device_confirmed
from sagstilsyn.core.login.services import otp_device_reset
from sagstilsyn.core.models import (
    CaseGroup,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    User,
)
from sagstilsyn.core.query_params import query_text
from sagstilsyn.core.services.organisation import (
    OrganisationError,
    role_assign,
    unit_create,
    unit_rename,
    user_create,
)
from sagstilsyn.core.services.staff import (
    name_split,
    role_end,
    role_group_set,
    user_activate,
    user_deactivate,
    user_rename,
)
from sagstilsyn.core.text_hygiene import free_text_problem
from sagstilsyn.law.calendar import today_local

DENIED = "Kun administratorer kan administrere kommunens enheder og medarbejdere."
STAFF_PAGE_SIZE = 50
NO_GROUP = [("", "Ingen gruppe")]


def _administrator(request: HttpRequest) -> tuple[Scope, User, Municipality]:
    scope = user_scope(request.user)
    user = request.user
    if not can_administer(scope) or not isinstance(user, User) or user.municipality is None:
        raise PermissionDenied(DENIED)
    return scope, user, user.municipality


def _masked(form: forms.Form) -> forms.Form:
    """A refused form shown again: every value it was sent with CPR numbers masked, never echoed."""
    if form.is_bound and form.errors:
        form.data = {name: redact(str(value)) for name, value in form.data.items()}
    return form


# --- units ------------------------------------------------------------------------------------------


class UnitForm(forms.Form):
    code = forms.CharField(
        label="Enhedskode",
        max_length=40,
        help_text="Fx BFE-VEST. Koden er enhedens identitet og kan ikke ændres.",
    )
    name = forms.CharField(label="Navn", max_length=200, help_text="Fx Børnefamilieenheden Vest")
    kind = forms.ChoiceField(label="Type", choices=UnitKind.choices, initial=UnitKind.UNIT)
    centre = forms.CharField(label="Borgercenter", max_length=200, required=False, help_text="Kan være tomt")


class UnitRenameForm(UnitForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["code"]


@login_required
@require_http_methods(["GET", "POST"])
def unit_list(request: HttpRequest) -> HttpResponse:
    scope, user, municipality = _administrator(request)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_create(
                municipality=municipality,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                centre_name=form.cleaned_data["centre"],
                actor=user,
            )
        except OrganisationError as error:
            form.add_error(None, f"Enheden er ikke oprettet: {error}.")
        else:
            messages.success(request, f"Enheden {unit.name} ({unit.code}) er oprettet.")
            return redirect("core:unit_list")
    context = {"units": units_administered(scope=scope), "form": _masked(form), "municipality": municipality}
    return render(request, "core/administration/units.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def unit_list_xlsx(request: HttpRequest) -> HttpResponse:
    scope, _, municipality = _administrator(request)
    title = export_title("Enheder og grupper", municipality.name)
    return xlsx_response(
        title=title,
        filename=f"enheder-{today_local().isoformat()}.xlsx",
        sheet_title="Enheder",
        headers=UNIT_EXPORT_HEADERS,
        rows=unit_export_rows(scope=scope),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    scope, user, _ = _administrator(request)
    unit = unit_administered(scope=scope, unit_id=unit_id)
    if unit is None:
        raise Http404("Enheden findes ikke.")
    initial = {"name": unit.name, "kind": unit.kind, "centre": unit.centre.name if unit.centre else ""}
    form = UnitRenameForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit_rename(
                unit=unit,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                centre_name=form.cleaned_data["centre"],
                actor=user,
            )
        except OrganisationError as error:
            form.add_error(None, f"Enheden er ikke ændret: {error}.")
        else:
            messages.success(request, f"Enheden {unit.code} hedder nu {form.cleaned_data['name']}.")
            return redirect("core:unit_list")
    staff = (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("user")
        .order_by("group", "user__first_name", "user__last_name")
    )
    groups = [
        (label, [a for a in staff if a.group == value])
        for value, label in [*CaseGroup.choices, ("", "Uden gruppe")]
    ]
    context = {
        "unit": unit,
        "form": _masked(form),
        "groups": [(label, rows) for label, rows in groups if rows],
    }
    return render(request, "core/administration/unit.html", context, status=400 if form.errors else 200)


# --- staff ------------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    username = forms.CharField(
        label="Brugernavn", max_length=150, help_text="Det navn, kommunens log-in sender"
    )
    name = forms.CharField(label="Fulde navn", max_length=300)
    email = forms.EmailField(label="E-mail", required=False)


def _search(request: HttpRequest) -> tuple[str, bool]:
    """The staff search's text, and whether it was dropped for holding a CPR number (staff are not
    found by CPR number, and the number is never shown back)."""
    query = query_text(request.GET.get("q"), name="q")
    if contains_cpr(query):
        return "", True
    return query, False


STATUSES = {"aktive": True, "deaktiverede": False}


def _status(request: HttpRequest) -> str:
    """The list's status filter: 'aktive', 'deaktiverede' or '' (all); anything else is ignored."""
    status = query_text(request.GET.get("status"), name="status")
    return status if status in STATUSES else ""


def _active_filter(value: str) -> bool | None:
    return STATUSES.get(value)


@login_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest) -> HttpResponse:
    scope, user, municipality = _administrator(request)
    query, cpr_dropped = _search(request)
    status = _status(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        first, last = name_split(form.cleaned_data["name"])
        problem = free_text_problem(form.cleaned_data["name"]) or free_text_problem(
            form.cleaned_data["username"]
        )
        try:
            if problem is not None:
                raise OrganisationError(f"brugernavnet eller navnet {problem}")
            if any(char.isspace() for char in form.cleaned_data["username"].strip()):
                raise OrganisationError("brugernavnet må ikke indeholde mellemrum")
            person = user_create(
                municipality=municipality,
                username=form.cleaned_data["username"].strip(),
                first_name=first,
                last_name=last,
                email=form.cleaned_data["email"],
                actor=user,
            )
        except OrganisationError as error:
            form.add_error(None, f"Medarbejderen er ikke oprettet: {error}.")
        else:
            messages.success(request, f"{person.display_name} er oprettet. Giv nu medarbejderen en rolle.")
            return redirect("core:staff_detail", user_id=person.pk)
    people = staff_search(scope=scope, query=query, active=_active_filter(status))
    page = Paginator(people, STAFF_PAGE_SIZE).get_page(request.GET.get("side"))
    context = {
        "page": page,
        "query": query,
        "cpr_dropped": cpr_dropped,
        "filters": "".join(f"{urlencode({k: v})}&" for k, v in (("q", query), ("status", status)) if v),
        "status": status,
        "form": _masked(form),
        "municipality": municipality,
    }
    return render(request, "core/administration/staff.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def staff_list_xlsx(request: HttpRequest) -> HttpResponse:
    scope, _, municipality = _administrator(request)
    query, _ = _search(request)
    status = _status(request)
    title = export_title("Medarbejdere og roller", municipality.name)
    return xlsx_response(
        title=title,
        filename=f"medarbejdere-{today_local().isoformat()}.xlsx",
        sheet_title="Medarbejdere",
        headers=STAFF_EXPORT_HEADERS,
        rows=staff_export_rows(scope=scope, query=query, active=_active_filter(status)),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rolle", choices=Role.choices)
    unit = forms.ModelChoiceField(
        label="Enhed", queryset=Unit.objects.none(), required=False, empty_label="Hele kommunen (ingen enhed)"
    )
    group = forms.ChoiceField(label="Gruppe", choices=NO_GROUP + list(CaseGroup.choices), required=False)

    def __init__(self, *args: object, municipality: Municipality, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        unit_field.queryset = Unit.objects.filter(municipality=municipality).order_by("name")


def _role_action(
    request: HttpRequest, *, action: str, person: User, actor: User, municipality: Municipality
) -> str:
    """Give a role, end one or move one to another group; the Danish sentence saying what was done."""
    if action == "role_add":
        form = RoleForm(request.POST, municipality=municipality)
        if not form.is_valid():
            raise OrganisationError("vælg en rolle, og en enhed fra listen")
        role, unit, group = form.cleaned_data["role"], form.cleaned_data["unit"], form.cleaned_data["group"]
        if group and is_municipality_role(role):
            raise OrganisationError(f"rollen {Role(role).label} gælder hele kommunen og har ingen gruppe")
        if RoleAssignment.objects.filter(user=person, role=role, unit=unit).exists():
            raise OrganisationError("medarbejderen har allerede den rolle i den enhed")
        role_assign(user=person, role=role, unit=unit, group=group, actor=actor)
        return f"{person.display_name} er nu {Role(role).label.lower()}{f' i {unit.name}' if unit else ''}."
    role_id = request.POST.get("role_id", "")
    assignment = (
        RoleAssignment.objects.filter(user=person, pk=int(role_id)).select_related("unit", "user").first()
        if role_id.isascii() and role_id.isdigit() and len(role_id) < 19
        else None
    )
    if assignment is None:
        raise OrganisationError("rollen findes ikke (længere)")
    if action == "role_group":
        role_group_set(assignment=assignment, group=request.POST.get("group", ""), actor=actor)
        return f"Gruppen er ændret for {person.display_name}."
    if person.pk == actor.pk and assignment.role == Role.ADMINISTRATOR:
        raise OrganisationError("du kan ikke afslutte din egen rolle som administrator")
    role_end(assignment=assignment, actor=actor)
    return f"Rollen {assignment.get_role_display().lower()} er afsluttet for {person.display_name}."


def _person_action(*, action: str, person: User, actor: User, request: HttpRequest) -> str:
    """Deactivate, activate, rename or reset the code app; the Danish sentence saying what was done."""
    if action == "deactivate":
        user_deactivate(user=person, actor=actor)
        return f"{person.display_name} er deaktiveret og kan ikke længere logge ind."
    if action == "activate":
        user_activate(user=person, actor=actor)
        return f"{person.display_name} er aktiv igen."
    if action == "rename":
        name, email = request.POST.get("name", ""), request.POST.get("email", "")
        user_rename(user=person, name=name, email=email, actor=actor)
        return f"Navn og e-mail er gemt for {person.display_name}."
    removed = otp_device_reset(user=person, actor=actor)
    if removed:
        return f"Kodeappen er nulstillet for {person.display_name}. Ved næste log-ind opsættes en ny."
    return f"{person.display_name} havde ingen kodeapp; intet at nulstille."


ROLE_ACTIONS = frozenset({"role_add", "role_end", "role_group"})
PERSON_ACTIONS = frozenset({"deactivate", "activate", "rename", "otp_reset"})


def _staff_action(request: HttpRequest, *, person: User, actor: User, municipality: Municipality) -> str:
    """Carry out the posted action on `person`; the Danish sentence saying what was done."""
    action = request.POST.get("action", "")
    if action in ROLE_ACTIONS:
        return _role_action(request, action=action, person=person, actor=actor, municipality=municipality)
    if action in PERSON_ACTIONS:
        return _person_action(action=action, person=person, actor=actor, request=request)
    raise OrganisationError("ukendt handling")


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    scope, actor, municipality = _administrator(request)
    person = staff_member(scope=scope, user_id=user_id)
    if person is None:
        raise Http404("Medarbejderen findes ikke.")
    error = ""
    if request.method == "POST":
        try:
            done = _staff_action(request, person=person, actor=actor, municipality=municipality)
        except OrganisationError as refused:
            error = f"Intet er ændret: {refused}."
        else:
            messages.success(request, done)
            return redirect("core:staff_detail", user_id=person.pk)
        person = staff_member(scope=scope, user_id=user_id) or person
    context = {
        "person": person,
        "roles": list(person.role_assignments.all()),
        "role_form": RoleForm(municipality=municipality),
        "groups": NO_GROUP + list(CaseGroup.choices),
        "error": error,
        "is_self": person.pk == actor.pk,
        "has_code_app": otp_device_confirmed(user=person) is not None,
    }
    return render(request, "core/administration/person.html", context, status=400 if error else 200)
