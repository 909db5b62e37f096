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


STAFF = (
    "municipality,username,name,email,role,unit,group\n"
    "101,ahol,Anne Marie Holm,,caseworker,BFE-NORD,children\n"
    "101,cdam,Camilla Dam,,centre_lawyer,,\n"
)


def test_the_staff_file_is_imported_from_the_upload_page() -> None:
    client = _admin_client()
    response = _upload(client, STAFF.encode(), name="medarbejdere.csv", kind="staff")
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Filen er indlæst." in html
    assert "medarbejdere 2 nye" in html
    assert User.objects.get(username="ahol").role_assignments.get().group == "children"
    assert ImportJob.objects.get().kind == "staff"
    assert AuditEvent.objects.filter(action="staff.import", actor__username="admin").count() == 1


def test_the_organisation_file_is_imported_into_the_own_municipality_only() -> None:
    client = _admin_client()
    own = "municipality,municipality_name,unit,unit_name\n101,Københavns Kommune,BFE-VEST,Vest\n"
    assert "Filen er indlæst." in _upload(client, own.encode(), kind="organisation").content.decode()  # type: ignore[attr-defined]
    other = "municipality,municipality_name,unit,unit_name\n350,Lejre Kommune,BFE-VEST,Vest\n"
    refused = _upload(client, other.encode(), kind="organisation").content.decode()  # type: ignore[attr-defined]
    assert "filen indlæses i kommune 101" in refused
    assert not Municipality.objects.filter(code="350").exists()


def test_a_dry_run_is_listed_as_such_and_people_by_name() -> None:
    client = _admin_client()
    _upload(client, STAFF.encode(), kind="staff", dry_run="on")
    assert not User.objects.filter(username="ahol").exists()
    listing = client.get("/indlaes/").content.decode()
    assert "Prøvekørsel – intet gemt" in listing
    assert "<td>Indlæst</td>" not in listing
    assert "Test administrator" in listing  # the administrator's name, not their user name


def test_the_upload_page_uses_dkfds_check_boxes_and_links_the_columns_and_samples() -> None:
    client = _admin_client()
    html = client.get("/indlaes/").content.decode()
    assert html.count('<div class="form-group-checkbox">') == 3
    assert 'class="form-label" for="id_dry_run"' not in html  # a check box's label is DKFDS's plain label
    assert 'href="/indlaes/kolonner/"' in html
    # The file picker speaks Danish whatever the browser's language (its native button would not).
    assert "Vælg fil" in html
    assert "Ingen fil valgt" in html
    assert 'class="file-picker__input" type="file"' in html
    for sample in ("haendelser-eksempel.csv", "organisation-eksempel.csv", "medarbejdere-eksempel.csv"):
        assert f"/static/cases/eksempler/{sample}" in html
    columns = client.get("/indlaes/kolonner/").content.decode()
    assert '<code class="file-column">municipality_name</code>' in columns
    assert '<code class="file-column">data_protection_officer</code>' in columns
    assert "docs/contracts" not in columns
