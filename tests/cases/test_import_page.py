"""The upload page: administrators only, all or nothing, a Danish error report, progress while running."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.importing import jobs
from sagstilsyn.cases.importing.jobs import import_job_progress
from sagstilsyn.cases.models import CaseEvent, ImportJob
from sagstilsyn.core.models import AuditEvent, Municipality, Role, User
from tests.cases.data.helpers import EVENTS_CSV
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings: SettingsWrapper) -> None:
    settings.IMPORT_INLINE = True


def _admin_client() -> Client:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    make_unit(municipality, "BFE-SYD")
    admin = make_user(municipality, Role.ADMINISTRATOR, username="admin")
    client = Client()
    client.force_login(admin)
    return client


def _upload(client: Client, content: bytes, name: str = "haendelser.csv", **extra: str) -> object:
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv"), "source": "import", **extra}
    return client.post("/indlaes/", data, follow=True)


def test_a_good_file_is_imported_and_the_outcome_shown() -> None:
    client = _admin_client()
    response = _upload(client, EVENTS_CSV.read_bytes())
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Filen er indlæst." in html
    assert CaseEvent.objects.count() > 0
    job = ImportJob.objects.get()
    assert job.status == "done"
    assert job.result["events_created"] == CaseEvent.objects.count()
    assert AuditEvent.objects.filter(action="import.start").count() == 1
    assert "0101181234" not in html
    assert "010118-1234" not in html


def test_a_file_with_one_bad_row_writes_nothing_and_shows_the_danish_report() -> None:
    client = _admin_client()
    lines = EVENTS_CSV.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("concern_acknowledged", "concern_acked")
    response = _upload(client, ("\n".join(lines) + "\n").encode())
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Intet er indlæst." in html
    assert "concern_acked" in html
    assert "ukendt hændelsestype" in html
    assert "<td>4</td>" in html  # the spreadsheet's row number (header = row 1)
    assert CaseEvent.objects.count() == 0
    job = ImportJob.objects.get()
    report = client.get(f"/indlaes/{job.pk}/fejlrapport.xlsx")
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith("Fejlrapport for ")
    assert "Københavns Kommune · udtrukket " in str(sheet["A1"].value)
    assert sheet.auto_filter.ref == "A2:D3"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("Række", "Kolonne", "Værdi", "Fejl")
    assert rows[1][:3] == (4, "type", "concern_acked")


def test_cpr_never_appears_in_the_error_page_or_report() -> None:
    client = _admin_client()
    bad = EVENTS_CSV.read_text(encoding="utf-8").replace("010118-1234", "010118-12345")
    response = _upload(client, bad.encode())
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Intet er indlæst." in html
    assert "12345" not in html
    job = ImportJob.objects.get()
    report = client.get(f"/indlaes/{job.pk}/fejlrapport.xlsx")
    assert b"12345" not in report.content


def test_only_administrators_may_upload_and_only_their_own_jobs() -> None:
    municipality = make_municipality()
    unit = make_unit(municipality)
    worker = make_user(municipality, Role.CASEWORKER, unit, username="anna")
    client = Client()
    client.force_login(worker)
    assert client.get("/indlaes/").status_code == 403
    other = make_municipality("350", "Lejre Kommune")
    make_unit(other)
    foreign_admin = make_user(other, Role.ADMINISTRATOR, username="lejre-admin")
    admin_client = _admin_client_for(make_user(municipality, Role.ADMINISTRATOR, username="kbh-admin"))
    _upload(admin_client, EVENTS_CSV.read_bytes().replace(b"BFE-SYD", b"BFE-NORD"))
    job = ImportJob.objects.get()
    lejre = _admin_client_for(foreign_admin)
    assert lejre.get(f"/indlaes/{job.pk}/").status_code == 404
    assert lejre.get(f"/indlaes/{job.pk}/fejlrapport.xlsx").status_code == 404


def _admin_client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_running_job_shows_a_progress_bar_that_polls() -> None:
    client = _admin_client()

    job = ImportJob.objects.create(
        municipality=Municipality.objects.get(code="101"),
        created_by=User.objects.get(username="admin"),
        kind="events",
        filename="stor.csv",
        status="running",
        created_at=timezone.now(),
    )
    cache.set(f"sagstilsyn:import-job:{job.pk}", (250, 1000))
    assert import_job_progress(job=job) == (250, 1000)
    html = client.get(f"/indlaes/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "25 %" in html
    assert "<progress" in html


def test_the_outcome_is_saved_after_a_moments_table_lock(monkeypatch: pytest.MonkeyPatch) -> None:

    _admin_client()

    job = ImportJob.objects.create(
        municipality=Municipality.objects.get(code="101"),
        created_by=User.objects.get(username="admin"),
        kind="events",
        filename="f.csv",
        status="running",
        created_at=timezone.now(),
    )
    job.status = "done"
    calls = {"n": 0}
    real_save = ImportJob.save

    def flaky_save(self: ImportJob, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] < 3:
            raise OperationalError("database table is locked: cases_importjob")
        real_save(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImportJob, "save", flaky_save)
    jobs._save_outcome(job, pause=0)
    assert calls["n"] == 3
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.status == "done"


def test_a_nul_in_a_cell_and_in_the_file_name_is_reported_by_code_point_and_writes_nothing() -> None:
    client = _admin_client()
    content = EVENTS_CSV.read_text(encoding="utf-8").replace("SAG-1", "SAG\x001", 1).encode()
    response = _upload(client, content, name="hændelser\x0b.csv")
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Intet er indlæst." in html
    assert "SAG[U+0000]1" in html
    assert "\x00" not in html
    assert CaseEvent.objects.count() == 0
    job = ImportJob.objects.get()
    assert "\x0b" not in job.filename
    report = client.get(f"/indlaes/{job.pk}/fejlrapport.xlsx")
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet is not None
    assert "\x00" not in str(sheet["A1"].value)  # the file's name in the title, shown by code point
    assert list(sheet.iter_rows(min_row=2, values_only=True))[1][:3] == (2, "case_id", "SAG[U+0000]1")
