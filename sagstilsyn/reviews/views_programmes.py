"""The programme pages (tilsyn, issue 13 §7): the overview with its progress per part and per reviewer and
their Excel downloads, starting a period, changing a part with its history, and drawing an ad hoc sample.

Thin views: access through `sagstilsyn.core.access`, figures through `reviews.programmes.progress`,
writes through the services. The overview shows counts and reviewers' names, never a case.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from sagstilsyn.core.access import (
    Scope,
    adhoc_reviewer_assignments_filter,
    can_run_supervision,
    can_view_supervision,
    user_scope,
)
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.models import Municipality, RoleAssignment, Unit, User
from sagstilsyn.core.selectors import export_scope_label
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.forms_programmes import AdhocForm, PartForm, PeriodForm, part_initial
from sagstilsyn.reviews.models import ProgrammePart, Sample
from sagstilsyn.reviews.programmes.adhoc import (
    ADHOC_KIND_LABELS,
    AdhocRefused,
    AdhocRequest,
    adhoc_sample_draw,
)
from sagstilsyn.reviews.programmes.editing import (
    PartChangeRefused,
    next_valid_from,
    part_latest,
    part_settings,
    part_versions,
    programme_part_change,
)
from sagstilsyn.reviews.programmes.eligibility import eligibility_text
from sagstilsyn.reviews.programmes.periods import Period, PeriodError, period_parse
from sagstilsyn.reviews.programmes.progress import (
    Progress,
    programme_progress,
    quarter_of,
    quarters_offered,
)
from sagstilsyn.reviews.questionnaire_store import questionnaires_in_use
from sagstilsyn.reviews.services.reviews import ReviewRefused, supervision_start

PART_HEADERS = (
    "Program",
    "Delprogram",
    "Stikprøver",
    "Udtrukket",
    "Tildelt",
    "Afleveret",
    "Genlæst (2. niveau)",
    "Lukket",
    "Over fristen",
    "Håndplukket",
)
REVIEWER_HEADERS = ("Bedømmer", "Brugernavn", "Tildelt", "Afleveret", "Lukket", "Over fristen")


def _scope(request: HttpRequest, allowed: Callable[[Scope], bool]) -> Scope:
    scope = user_scope(request.user)
    if not allowed(scope):
        raise PermissionDenied("Din rolle giver ikke adgang til tilsynet.")
    return scope


def _own(scope: Scope) -> int:
    """The user's municipality (the predicates asked have made sure there is one)."""
    if scope.municipality_id is None:
        raise PermissionDenied("Din rolle giver ikke adgang til tilsynet.")
    return scope.municipality_id


def quarter_label(period: Period) -> str:
    """ "4. kvartal 2026"."""
    return f"{period.number}. kvartal {period.year}"


def _quarter(request: HttpRequest) -> Period:
    text = request.GET.get("periode", "")
    if text:
        try:
            period = period_parse(text)
        except PeriodError:
            period = None
        if period is not None and period.kind == "quarter":
            return period
    return quarter_of(today_local())


def _progress(request: HttpRequest, scope: Scope) -> tuple[Period, Progress]:
    quarter = _quarter(request)
    return quarter, programme_progress(scope=scope, quarter=quarter, today=today_local())


@login_required
@require_GET
def programmes(request: HttpRequest) -> HttpResponse:
    """Tilsyn: progress per part and per reviewer for the chosen quarter, and the quarter's samples."""
    scope = _scope(request, can_view_supervision)
    quarter, progress = _progress(request, scope)
    first = Sample.objects.filter(part__programme__municipality_id=_own(scope)).order_by("drawn_at").first()
    parts: list[ProgrammePart] = []
    if can_run_supervision(scope):
        latest: dict[tuple[int, str], ProgrammePart] = {}
        for part in ProgrammePart.objects.filter(programme__municipality_id=_own(scope)).select_related(
            "programme"
        ):
            latest.setdefault((part.programme_id, part.code), part)
        parts = sorted((part_latest(p) for p in latest.values()), key=lambda p: (p.programme.name, p.name))
    return render(
        request,
        "reviews/programmes/overview.html",
        {
            "quarter": quarter,
            "quarter_label": quarter_label(quarter),
            "quarters": [
                (q.label, quarter_label(q))
                for q in quarters_offered(today_local(), first.drawn_at.date() if first else None)
            ],
            "progress": progress,
            "may_run": can_run_supervision(scope),
            "parts": parts,
        },
    )


@login_required
@require_GET
def programmes_parts_xlsx(request: HttpRequest) -> HttpResponse:
    """The overview's table per part as Excel."""
    scope = _scope(request, can_view_supervision)
    quarter, progress = _progress(request, scope)
    rows = [
        [
            p.programme,
            p.part,
            p.samples,
            p.drawn,
            p.assigned,
            p.submitted,
            p.reread,
            p.closed,
            p.overdue,
            p.hand_picked,
        ]
        for p in progress.parts
    ]
    return xlsx_response(
        filename=f"tilsyn-{quarter.label}.xlsx",
        title=export_title(f"Tilsynets fremdrift, {quarter_label(quarter)}", export_scope_label(scope)),
        sheet_title="Delprogrammer",
        headers=PART_HEADERS,
        rows=rows,
    )


@login_required
@require_GET
def programmes_reviewers_xlsx(request: HttpRequest) -> HttpResponse:
    """The overview's table per reviewer as Excel."""
    scope = _scope(request, can_view_supervision)
    quarter, progress = _progress(request, scope)
    rows = [[r.name, r.username, r.assigned, r.submitted, r.closed, r.overdue] for r in progress.reviewers]
    return xlsx_response(
        filename=f"tilsyn-bedoemmere-{quarter.label}.xlsx",
        title=export_title(f"Bedømmernes fremdrift, {quarter_label(quarter)}", export_scope_label(scope)),
        sheet_title="Bedømmere",
        headers=REVIEWER_HEADERS,
        rows=rows,
    )


def _municipality(scope: Scope) -> Municipality:
    return Municipality.objects.get(pk=_own(scope))


@login_required
@require_http_methods(["GET", "POST"])
def period_start(request: HttpRequest) -> HttpResponse:
    """Start a period (start en periode): draw its samples and assign the reviews; a result page."""
    scope = _scope(request, can_run_supervision)
    form = PeriodForm(request.POST or None, initial={"period": quarter_of(today_local()).label})
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        period: Period = form.cleaned_data["period"]
        try:
            samples = supervision_start(municipality=_municipality(scope), period=period, actor=request.user)  # type: ignore[arg-type]
        except ReviewRefused as error:
            form.add_error(None, str(error).capitalize())
        else:
            context.update(
                started=period,
                samples=Sample.objects.filter(pk__in=[s.pk for s in samples])
                .select_related("part__programme")
                .order_by("part__programme__name", "part__name", "period", "scope"),
                overview=f"{reverse('reviews:programmes')}?periode={quarter_of(period.start).label}",
            )
    return render(request, "reviews/programmes/start.html", context)


def _questionnaire_choices() -> list[tuple[str, str]]:
    return [(f"{q.id}@{q.version}", f"{q.title} (version {q.version})") for q in questionnaires_in_use()]


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, part_id: int) -> HttpResponse:
    """Change a part (ret delprogram): saved as a new version from the next period; the history below."""
    scope = _scope(request, can_run_supervision)
    part = ProgrammePart.objects.filter(pk=part_id, programme__municipality_id=_own(scope)).first()
    if part is None:
        raise Http404("Delprogrammet findes ikke.")
    latest = part_latest(part)
    form = PartForm(
        request.POST or None,
        initial=part_initial(part_settings(latest)),
        questionnaires=_questionnaire_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = programme_part_change(part=latest, settings=form.settings(), actor=request.user)  # type: ignore[arg-type]
        except PartChangeRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Ændringen er gemt og gælder fra {saved.valid_from}.")
            return redirect("reviews:part_edit", part_id=saved.pk)
    versions = list(reversed(part_versions(latest)))
    titles = dict(_questionnaire_choices())
    for version in versions:  # the questionnaire's title, not its id (no developer words in the UI)
        key = f"{version.questionnaire}@{version.questionnaire_version}"
        version.questionnaire_label = titles.get(key, "–")  # type: ignore[attr-defined]
    return render(
        request,
        "reviews/programmes/part_edit.html",
        {
            "part": latest,
            "form": form,
            "valid_from": next_valid_from(latest, today_local()),
            "eligibility": eligibility_text(latest.eligibility),
            "versions": versions,
        },
    )


def _adhoc_choices(scope: Scope) -> dict[str, list[tuple[str, str]]]:
    units = Unit.objects.filter(municipality_id=_own(scope)).order_by("code")
    reviewer_ids = RoleAssignment.objects.filter(
        adhoc_reviewer_assignments_filter(), municipality_id=_own(scope)
    ).values("user_id")
    reviewers = User.objects.filter(pk__in=reviewer_ids, is_active=True).order_by("username")
    earlier = Sample.objects.filter(
        part__programme__municipality_id=_own(scope), part__programme__code="ekstern"
    ).order_by("-period", "-pk")
    return {
        "units": [(str(u.pk), f"{u.name} ({u.code})") for u in units],
        "reviewers": [(str(u.pk), f"{u.display_name} ({u.username})") for u in reviewers],
        "earlier": [(str(s.pk), f"Ekstern revision {s.period} ({s.scope})") for s in earlier],
    }


@login_required
@require_http_methods(["GET", "POST"])
def adhoc_new(request: HttpRequest) -> HttpResponse:
    """Draw an ad hoc sample (enkeltstående stikprøve): a quality visit or an external audit."""
    scope = _scope(request, can_run_supervision)
    form = AdhocForm(request.POST or None, initial={"kind": "ekstern", "size": 50}, **_adhoc_choices(scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        follows = Sample.objects.filter(pk=data["follows"]).first() if data["follows"] else None
        adhoc = AdhocRequest(
            kind=data["kind"],
            units=list(Unit.objects.filter(municipality_id=_own(scope), pk__in=data["units"])),
            size=data["size"],
            closes_on=data["closes_on"],
            reviewer=User.objects.filter(pk=data["reviewer"]).first(),
            follows=follows,
        )
        try:
            sample = adhoc_sample_draw(municipality=_municipality(scope), request=adhoc, actor=request.user)  # type: ignore[arg-type]
        except AdhocRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{ADHOC_KIND_LABELS[adhoc.kind]} er udtrukket.")
            return redirect("reviews:sample_detail", sample_id=sample.pk)
    return render(request, "reviews/programmes/adhoc.html", {"form": form})
