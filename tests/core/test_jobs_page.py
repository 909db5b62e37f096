"""The administrator's page of planlagte job and its Excel export of the run history."""

from __future__ import annotations

from datetime import datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from sagstilsyn.core.jobs import registry, selectors, services
from sagstilsyn.core.jobs.registry import Job, JobContext, JobResult, Schedule
from sagstilsyn.core.jobs.services import jobs_run_due
from sagstilsyn.core.models import Role, User
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def _broken(context: JobContext) -> JobResult:
    raise RuntimeError("barn 010118-1234 kunne ikke behandles")


def _fine(context: JobContext) -> JobResult:
    return JobResult(count=7, summary="7 forpligtelser markeret som overskredne")


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> tuple[Job, ...]:
    found = (
        Job("fine", "Det gode job", "Gør det gode.", Schedule(at=time(2, 0)), _fine),
        Job("broken", "Det ødelagte job", "Fejler altid.", Schedule(at=time(6, 0), weekday=0), _broken),
    )
    for module in (registry, selectors, services):
        monkeypatch.setattr(module, "JOBS", found)
    return found


@pytest.fixture
def administrator() -> User:
    municipality = make_municipality()
    make_unit(municipality)
    return make_user(municipality, Role.ADMINISTRATOR, username="admin")


def test_the_page_lists_the_jobs_and_their_runs(
    client: Client, jobs: tuple[Job, ...], administrator: User
) -> None:
    jobs_run_due(now=datetime(2025, 1, 6, 7, 0, tzinfo=CPH))
    client.force_login(administrator)

    html = client.get("/job/").content.decode()

    assert "<h1>Planlagte job</h1>" in html
    assert "Det gode job" in html and "dagligt kl. 02:00" in html and "hver mandag kl. 06:00" in html
    assert "6. januar 2025" in html and "uge 2, 2025" in html
    assert "7 forpligtelser markeret som overskredne" in html
    assert '<strong class="badge badge-success">OK</strong>' in html
    assert '<strong class="badge badge-error">Fejlet</strong>' in html
    assert "RuntimeError: barn 010118-XXXX kunne ikke behandles" in html and "1234" not in html
    assert 'href="/job/koersler.xlsx"' in html
    assert 'aria-current="page"><span>Planlagte job</span>' in html


def test_the_page_before_any_run(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    html = client.get("/job/").content.decode()
    assert "Overskredne frister" in html and "Ugens fristmail" in html
    assert "Ikke kørt endnu" in html and "Ingen job er kørt endnu." in html


def test_the_export_holds_every_run(client: Client, jobs: tuple[Job, ...], administrator: User) -> None:
    jobs_run_due(now=datetime(2025, 1, 6, 7, 0, tzinfo=CPH))
    jobs_run_due(now=datetime(2025, 1, 7, 7, 0, tzinfo=CPH))
    client.force_login(administrator)

    response = client.get("/job/koersler.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="koersler-')
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None and sheet.title == "Kørsler"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == selectors.EXPORT_HEADERS
    assert len(rows) == 4  # fine twice, broken once (its second call is a retry of the same slot)
    by_slot = {(row[1], row[2]): row for row in rows[1:]}
    fine = by_slot[("fine", datetime(2025, 1, 6))]
    assert fine[0] == "Det gode job" and fine[3] == "6. januar 2025" and fine[6] == "OK"
    assert (fine[7], fine[8], fine[9], fine[10]) == (1, 7, "7 forpligtelser markeret som overskredne", None)
    assert isinstance(fine[4], datetime) and isinstance(fine[5], datetime)
    broken = by_slot[("broken", datetime(2025, 1, 6))]
    assert (broken[3], broken[6], broken[7]) == ("uge 2, 2025", "Fejlet", 2)
    assert broken[10] == "RuntimeError: barn 010118-XXXX kunne ikke behandles"
    cells = " ".join(str(value) for row in rows for value in row if value is not None)
    assert "1234" not in cells


def test_the_menu_links_to_the_page_for_administrators_only(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    assert 'href="/job/"' in client.get("/").content.decode()
    municipality = administrator.municipality
    assert municipality is not None
    client.force_login(make_user(municipality, Role.CENTRAL_LAWYER, username="jurist"))
    assert 'href="/job/"' not in client.get("/").content.decode()
