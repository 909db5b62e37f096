"""The compliance dashboards' pages (Lovoverholdelse, ADR 0038): the quarter's overview, one requirement's
page (trend, units side by side, groups and caseworkers), the one-click action plan from a risk area, and
the administrator's målsætning. Thin views: who sees what through `core.access`, figures through
`reports.dashboard`, tables to Excel through `core.exports`."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sagstilsyn.core.access import (
    Scope,
    can_administer,
    can_plan_actions,
    can_see_all_units,
    can_view_compliance_dashboard,
    can_view_unit_compliance,
    user_scope,
    visible_units_filter,
)
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import Municipality, Unit, User
from sagstilsyn.core.query_params import query_text
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reports.compliance import ALL
from sagstilsyn.reports.compliance.figures import Pillar
from sagstilsyn.reports.compliance.readings import period_before, requirement_title
from sagstilsyn.reports.dashboard import tables
from sagstilsyn.reports.dashboard.periods import dashboard_period, period_choices, quarter_label
from sagstilsyn.reports.dashboard.plans import risk_plan_create
from sagstilsyn.reports.dashboard.selectors import (
    LabelledCell,
    action_plans_judged,
    dashboard_overview,
    requirement_breakdown,
    requirement_trend,
    requirement_units,
)
from sagstilsyn.reports.dashboard.titles import questionnaire_title, related_requirements, requirement_known
from sagstilsyn.reports.standards import StandardRefused, standard_of, standard_set
from sagstilsyn.reviews.services.learning import PlanRefused

PILLAR_LABELS = {"data": "Datasøjlen: alle forpligtelser", "review": "Gennemgangssøjlen: gennemgåede sager"}


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Log ind for at se siden.")
    return user


def _municipality(scope: Scope) -> Municipality:
    return Municipality.objects.get(pk=scope.municipality_id or 0)


def _dashboard_scope(request: HttpRequest) -> Scope:
    scope = user_scope(request.user)
    if not can_view_compliance_dashboard(scope):
        raise PermissionDenied(
            "Lovoverholdelse er for ledere, jurister og udvalgsmedlemmer; din rolle giver ikke adgang."
        )
    return scope


def _units(scope: Scope) -> list[Unit]:
    """The units whose own figures the reader sees (none for an udvalgsmedlem), by name."""
    if not can_view_unit_compliance(scope):
        return []
    return sorted(
        Unit.objects.filter(visible_units_filter(scope)),
        key=lambda u: ((u.name or u.code).casefold(), u.code),
    )


@dataclass(frozen=True)
class UnitChoice:
    code: str
    name: str
    selected: bool


def _chosen_unit(request: HttpRequest, scope: Scope, units: list[Unit]) -> str:
    """The unit code the chooser names (?enhed=CODE) among the reader's units, else the default: the
    municipality (ALL) for those who see every unit and for udvalgsmedlemmer, the first own unit else."""
    wanted = query_text(request.GET.get("enhed"), name="enhed")
    codes = [unit.code for unit in units]
    if wanted == ALL or wanted in codes:
        return wanted
    if can_see_all_units(scope) or not codes:
        return ALL
    return codes[0]


#: The målsætning form's fields and their Danish labels.
STANDARD_FIELDS = {"maal": "Målsætning", "nedre": "Nedre tærskel"}


def _percent_share(text: str) -> float | None:
    """A percentage typed in the form ("90", "87,5") as a share, or None when it is no finite number."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value / 100 if math.isfinite(value) else None


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _dashboard_scope(request)
    municipality = _municipality(scope)
    today = today_local()
    period = dashboard_period(request.GET.get("periode"), today=today)
    units = _units(scope)
    unit = _chosen_unit(request, scope, units)
    standard = standard_of(municipality)
    rows = dashboard_overview(
        municipality=municipality, period=period, as_of=today, unit=unit, standard=standard
    )
    unit_name = next((u.name or u.code for u in units if u.code == unit), municipality.name)
    unit_obj = next((u for u in units if u.code == unit), None)
    may_plan = unit_obj is not None and can_plan_actions(
        scope, municipality_id=municipality.pk, unit_id=unit_obj.pk
    )
    plans = []
    if units:
        plans = action_plans_judged(
            municipality=municipality,
            units=[unit_obj] if unit_obj is not None else (None if can_see_all_units(scope) else units),
            as_of=today,
            standard=standard,
        )
    if request.GET.get("format") == "xlsx" and request.GET.get("tabel") == "handleplaner":
        return xlsx_response(
            filename=f"handleplaner-{unit}.xlsx",
            title=export_title("Handleplaner og om målet er nået", unit_name),
            sheet_title="Handleplaner",
            headers=tables.PLAN_HEADERS,
            rows=tables.plan_rows(plans),
        )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"lovoverholdelse-{period.label}-{unit}.xlsx",
            title=export_title(f"Lovoverholdelse {quarter_label(period)}", unit_name),
            sheet_title="Lovoverholdelse",
            headers=tables.OVERVIEW_HEADERS,
            rows=tables.overview_rows(rows),
        )
    context = {
        "period": period,
        "period_name": quarter_label(period),
        "previous_name": quarter_label(period_before(period)),
        "choices": [(p.label, quarter_label(p)) for p in period_choices(today)],
        "unit": unit,
        "unit_name": unit_name,
        "unit_choices": [UnitChoice(ALL, f"Hele kommunen ({municipality.name})", unit == ALL)]
        + [UnitChoice(u.code, u.name or u.code, u.code == unit) for u in units],
        "rows": rows,
        "risks": sum(1 for row in rows if row.risk),
        "standard": standard,
        "may_plan": may_plan,
        "plans": plans,
        "may_set_standard": can_administer(scope),
        "plans_xlsx": f"?periode={period.label}&enhed={unit}&format=xlsx&tabel=handleplaner",
        "committee_report": f"/rapporter/udvalgsrapport/?periode={period.label}",
    }
    return render(request, "reports/dashboard.html", context)


@require_GET
@login_required
def requirement(request: HttpRequest, requirement: str) -> HttpResponse:
    scope = _dashboard_scope(request)
    if not requirement_known(requirement):
        raise Http404("Kravet findes ikke.")
    municipality = _municipality(scope)
    today = today_local()
    period = dashboard_period(request.GET.get("periode"), today=today)
    units = _units(scope)
    unit = _chosen_unit(request, scope, units)
    standard = standard_of(municipality)
    title = requirement_title(requirement)
    trend = requirement_trend(
        municipality=municipality,
        requirement=requirement,
        period=period,
        as_of=today,
        unit=unit,
        standard=standard,
    )
    side_by_side: dict[Pillar, list[LabelledCell]] = {}
    groups: dict[Pillar, list[LabelledCell]] = {}
    caseworkers: dict[Pillar, list[LabelledCell]] = {}
    if units:
        common = {
            "municipality": municipality,
            "requirement": requirement,
            "period": period,
            "as_of": today,
            "standard": standard,
        }
        side_by_side = requirement_units(units=units, **common)  # type: ignore[arg-type]
        # The groups of the chosen unit, or of all the reader's units (every unit: None).
        if unit != ALL:
            within: list[str] | None = [unit]
        else:
            within = None if can_see_all_units(scope) else [u.code for u in units]
        groups = requirement_breakdown(units=within, by="group", **common)  # type: ignore[arg-type]
        if unit != ALL:  # per caseworker within one unit: a whole municipality's list reads as a ranking
            caseworkers = requirement_breakdown(units=[unit], by="caseworker", **common)  # type: ignore[arg-type]
    unit_name = next((u.name or u.code for u in units if u.code == unit), municipality.name)
    table = request.GET.get("tabel", "")
    if request.GET.get("format") == "xlsx":
        exports = {
            "udvikling": ("Udvikling", tables.TREND_HEADERS, tables.trend_rows(trend)),
            "enheder": ("Enheder", tables.LABELLED_HEADERS("Enhed"), tables.labelled_rows(side_by_side)),
            "grupper": ("Grupper", tables.LABELLED_HEADERS("Gruppe"), tables.labelled_rows(groups)),
            "sagsbehandlere": (
                "Sagsbehandlere",
                tables.LABELLED_HEADERS("Sagsbehandler"),
                tables.labelled_rows(caseworkers),
            ),
        }
        if table not in exports or (table != "udvikling" and not units):
            raise Http404("Tabellen findes ikke.")
        sheet, headers, rows = exports[table]
        return xlsx_response(
            filename=f"{table}-{requirement}-{period.label}.xlsx",
            title=export_title(f"{title}: {sheet.lower()} {quarter_label(period)}", unit_name),
            sheet_title=sheet,
            headers=headers,
            rows=rows,
        )
    context = {
        "requirement": requirement,
        "title": title,
        "period": period,
        "period_name": quarter_label(period),
        "choices": [(p.label, quarter_label(p)) for p in period_choices(today)],
        "unit": unit,
        "unit_name": unit_name,
        "unit_choices": [UnitChoice(ALL, f"Hele kommunen ({municipality.name})", unit == ALL)]
        + [UnitChoice(u.code, u.name or u.code, u.code == unit) for u in units],
        "standard": standard,
        "trend": tables.trend_sections(trend, title=title, target=standard.target, where=unit_name),
        "side_by_side": tables.forest_sections(
            side_by_side, title=title, target=standard.target, period=quarter_label(period)
        ),
        "groups": tables.labelled_sections(groups),
        "caseworkers": tables.labelled_sections(caseworkers),
        "sees_units": bool(units),
        "pillar_labels": PILLAR_LABELS,
        "related": related_requirements(requirement),
        "questionnaire": questionnaire_title(requirement),
        "plans_xlsx": f"{reverse('reports:dashboard')}?enhed={unit}&format=xlsx&tabel=handleplaner",
        "plans": action_plans_judged(
            municipality=municipality,
            units=None if can_see_all_units(scope) else units,
            as_of=today,
            standard=standard,
            requirement=requirement,
        )
        if units
        else [],
    }
    return render(request, "reports/requirement.html", context)


@require_POST
@login_required
def risk_plan(request: HttpRequest) -> HttpResponse:
    """One click: the unit's action plan for a risk area, with the defaults (`reports.dashboard.plans`)."""
    scope = _dashboard_scope(request)
    municipality = _municipality(scope)
    today = today_local()
    period = dashboard_period(request.POST.get("periode"), today=today)
    code = query_text(request.POST.get("enhed"), name="enhed")
    unit = Unit.objects.filter(municipality=municipality, code=code).first()
    if unit is None or not can_plan_actions(scope, municipality_id=municipality.pk, unit_id=unit.pk):
        raise Http404("Enheden findes ikke blandt dem, du kan lave handleplaner for.")
    back = f"{reverse('reports:dashboard')}?periode={period.label}&enhed={unit.code}"
    try:
        plan = risk_plan_create(
            unit=unit,
            requirement=query_text(request.POST.get("krav"), name="krav"),
            pillar=query_text(request.POST.get("soejle"), name="soejle"),
            period=period,
            as_of=today,
            standard=standard_of(municipality),
            actor=_user(request),
        )
    except PlanRefused as refused:
        messages.error(request, f"Handleplanen blev ikke lavet: {refused}")
        return redirect(back)
    messages.success(
        request, f"Handleplanen «{plan.title}» er lavet. Skriv tiltagene på listen over handleplaner."
    )
    return redirect(back)


@require_http_methods(["GET", "POST"])
@login_required
def standard(request: HttpRequest) -> HttpResponse:
    """The administrator sets the municipality's målsætning (target and LQAS threshold, in %)."""
    scope = user_scope(request.user)
    if not can_administer(scope):
        raise PermissionDenied("Kun kommunens administrator kan ændre målsætningen.")
    municipality = _municipality(scope)
    current = standard_of(municipality)
    values = {"maal": f"{current.target * 100:g}", "nedre": f"{current.lower * 100:g}"}
    problems: list[str] = []
    if request.method == "POST":
        values = {
            key: (request.POST.get(key) or "").strip().rstrip("%").strip().replace(",", ".") for key in values
        }
        shares = {key: _percent_share(text) for key, text in values.items()}
        problems = [
            f"{STANDARD_FIELDS[key]}: «{text}» er ikke et tal i procent (fx {example})"
            for (key, text), example in zip(values.items(), ("90", "60"), strict=True)
            if shares[key] is None
        ]
        target, lower = shares["maal"], shares["nedre"]
        if target is not None and lower is not None:
            try:
                standard_set(municipality=municipality, target=target, lower=lower, actor=_user(request))
            except StandardRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, "Målsætningen er gemt.")
                return redirect("reports:standard")
    context = {"standard": current, "values": values, "problems": problems}
    return render(request, "reports/standard.html", context, status=400 if problems else 200)
