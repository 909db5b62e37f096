"""The upload page (indlæs filer): the events, organisation or staff file (data-contract.md §0, §0b, §1);
start an import, watch its progress, read or download the errors. The page describes each file's
columns (`import_columns`) and offers a sample file of each kind.

Only administrators (core.access.can_import) may import, and only into their own municipality. The
import runs as a job (on a worker, or in a thread of this process; ADR 0015); the job page polls a small
progress fragment with htmx until the job ends. Viewing the page or the list marks a job whose worker
died as failed, with the Danish message.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sagstilsyn.cases.importing import DEFAULT_SOURCE, import_report_xlsx
from sagstilsyn.cases.importing.jobs import import_job_progress, import_job_start, import_jobs_fail_dead
from sagstilsyn.cases.models import ImportJob, ImportJobStatus, ImportKind
from sagstilsyn.cases.services.event_inputs import RowError
from sagstilsyn.core.access import Scope, can_import, user_scope
from sagstilsyn.core.cpr import CPR_IN_TEXT, contains_cpr, redact
from sagstilsyn.core.exports import XLSX_CONTENT_TYPE
from sagstilsyn.core.models import Municipality, Role, User

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ERRORS_SHOWN = 200


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Hvilken fil?",
        choices=[
            (ImportKind.EVENTS, "Hændelser (sagsfakta fra fagsystemet)"),
            (ImportKind.ORGANISATION, "Organisation (enheder)"),
            (ImportKind.STAFF, "Medarbejdere og roller"),
        ],
        initial=ImportKind.EVENTS,
        widget=forms.RadioSelect,
        required=False,  # the events file unless another is chosen
    )
    file = forms.FileField(
        label="Fil (CSV eller XLSX)",
        help_text="Et ark med overskriftsrække og filtypens kolonner (se kolonnerne i hver fil ovenfor).",
    )
    source = forms.CharField(
        label="Kilde (fagsystem, kun for hændelser)",
        initial=DEFAULT_SOURCE,
        max_length=60,
        help_text="Samme navn ved hver indlæsning fra samme fagsystem; hændelses-id'er er unikke pr. kilde.",
    )
    dry_run = forms.BooleanField(label="Prøvekørsel: kontrollér filen uden at gemme", required=False)
    ignore_unknown_columns = forms.BooleanField(label="Se bort fra ukendte kolonner", required=False)
    deactivate_missing = forms.BooleanField(
        label="Medarbejdere: afslut roller, som filen ikke nævner, og deaktivér dem, der står uden rolle",
        required=False,
    )

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or ImportKind.EVENTS)

    def clean_source(self) -> str:
        source = str(self.cleaned_data["source"])
        if contains_cpr(source):
            # The field is shown again for correction: masked, never echoed.
            self.data = {**self.data, "source": redact(source)}
            raise forms.ValidationError(f"Kildens navn {CPR_IN_TEXT}.")
        return source

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Filen er større end 200 MB. Del den op i flere filer.")
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("Filen skal være CSV (.csv) eller Excel (.xlsx).")
        return upload


def _importer(request: HttpRequest) -> tuple[Scope, User, Municipality]:
    scope = user_scope(request.user)
    user = request.user
    if not can_import(scope) or not isinstance(user, User) or user.municipality is None:
        raise PermissionDenied("Kun administratorer kan indlæse filer.")
    return scope, user, user.municipality


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    _, _, municipality = _importer(request)
    job = ImportJob.objects.filter(pk=job_id, municipality=municipality).first()
    if job is None:
        raise Http404("Indlæsningen findes ikke.")
    if job.status == ImportJobStatus.RUNNING and import_jobs_fail_dead(job_ids=[job.pk]):
        job.refresh_from_db()  # its worker died: the page shows the Danish message (ADR 0015)
    return job


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _, user, municipality = _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_job_start(
            municipality=municipality,
            actor=user,
            data=upload.read(),
            filename=upload.name,
            source=form.cleaned_data["source"],
            dry_run=form.cleaned_data["dry_run"],
            ignore_unknown_columns=form.cleaned_data["ignore_unknown_columns"],
            kind=form.cleaned_data["kind"],
            deactivate_missing=form.cleaned_data["deactivate_missing"],
        )
        return redirect("cases:import_job", job_id=job.pk)
    import_jobs_fail_dead(municipality=municipality)  # the list shows no job of a dead worker as running
    jobs = ImportJob.objects.filter(municipality=municipality).select_related("created_by")[:20]
    return render(request, "cases/import_upload.html", {"form": form, "jobs": jobs, "samples": SAMPLES})


#: The sample file of each kind (static files), with the label the upload page gives it.
SAMPLES = (
    ("Hændelser", "cases/eksempler/haendelser-eksempel.csv"),
    ("Organisation", "cases/eksempler/organisation-eksempel.csv"),
    ("Medarbejdere", "cases/eksempler/medarbejdere-eksempel.csv"),
)


@login_required
@require_GET
def import_columns(request: HttpRequest) -> HttpResponse:
    """The column specification of the three files, in Danish, for whoever may import them."""
    _importer(request)
    return render(request, "cases/import_columns.html", {"samples": SAMPLES, "roles": Role.choices})


def _job_context(job: ImportJob) -> dict[str, object]:
    done, total = import_job_progress(job=job)
    errors = [RowError(*row) for row in job.errors]
    return {
        "job": job,
        "running": job.status == ImportJobStatus.RUNNING,
        "queued": job.status == ImportJobStatus.RUNNING and not job.worker,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else 0,
        "errors": errors[:ERRORS_SHOWN],
        "error_count": len(errors),
        "rows_with_errors": len({e.row for e in errors if e.row}),
        "more_errors": max(0, len(errors) - ERRORS_SHOWN),
    }


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "cases/import_job.html", _job_context(_job(request, job_id)))


@login_required
@require_GET
def import_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """The htmx fragment: the progress bar while running, the outcome when the job has ended."""
    return render(request, "cases/includes/import_status.html", _job_context(_job(request, job_id)))


@login_required
@require_GET
def import_job_report(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    content = import_report_xlsx(
        [RowError(*row) for row in job.errors], filename=job.filename, scope_label=job.municipality.name
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="fejlrapport-indlaesning-{job.pk}.xlsx"'
    return response
