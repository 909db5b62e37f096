"""The administrator's page of planlagte job and its Excel export of the run history: an administrator
sees their own municipality's runs only."""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from sagstilsyn.core.access import NO_SCOPE, user_scope
from sagstilsyn.core.jobs import registry, selectors, services
from sagstilsyn.core.jobs.registry import Job, JobContext, JobRegistry, JobResult, Schedule
from sagstilsyn.core.jobs.services import jobs_run_due
from sagstilsyn.core.models import Role, User
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
LEJRE = "350"


def _broken(context: JobContext) -> JobResult:
    if context.municipality.code == LEJRE:
        raise RuntimeError("Lejres postserver lejre-smtp.example svarer ikke")
    raise RuntimeError("barn 010118-1234 kunne ikke behandles")


def _fine(context: JobContext) -> JobResult:
    if context.municipality.code == LEJRE:
        return JobResult(count=4242, summary="4242 mails sendt i Lejre")
    return JobResult(count=7, summary="7 forpligtelser markeret som overskredne")


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> tuple[Job, ...]:
    found = (
        Job("fine", "Det gode job", "Gør det gode.", Schedule(at=time(2, 0)), _fine),
        Job("broken", "Det ødelagte job", "Fejler altid.", Schedule(at=time(6, 0), weekday=0), _broken),
    )
    monkeypatch.setattr(registry, "REGISTRY", JobRegistry(found))
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
    assert "Det gode job" in html
    assert "dagligt kl. 02:00" in html
    assert "hver mandag kl. 06:00" in html
    assert "6. januar 2025" in html
    assert "uge 2, 2025" in html
    assert "7 forpligtelser markeret som overskredne" in html
    assert '<strong class="badge badge-success">OK</strong>' in html
    assert '<strong class="badge badge-error">Fejlet</strong>' in html
    assert "RuntimeError: barn 010118-XXXX kunne ikke behandles" in html
    assert "1234" not in html
    assert 'href="/job/koersler.xlsx"' in html
    assert 'aria-current="page"><span>Planlagte job</span>' in html


def test_the_page_before_any_run(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    html = client.get("/job/").content.decode()
    assert "Overskredne frister" in html
    assert "Ugens fristmail" in html
    assert "Ikke kørt endnu" in html
    assert "Ingen job er kørt endnu." in html


def test_the_export_holds_every_run(client: Client, jobs: tuple[Job, ...], administrator: User) -> None:
    jobs_run_due(now=datetime(2025, 1, 6, 7, 0, tzinfo=CPH))
    jobs_run_due(now=datetime(2025, 1, 7, 7, 0, tzinfo=CPH))
    client.force_login(administrator)

    response = client.get("/job/koersler.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="koersler-')
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.title == "Kørsler"
    assert str(sheet["A1"].value).startswith("Planlagte job: alle kørsler · Københavns Kommune · udtrukket ")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == selectors.EXPORT_HEADERS
    assert len(rows) == 4  # fine twice, broken once (its second call is a retry of the same slot)
    by_slot = {(row[1], row[2]): row for row in rows[1:]}
    fine = by_slot[("fine", datetime(2025, 1, 6))]
    assert fine[0] == "Det gode job"
    assert fine[3] == "6. januar 2025"
    assert fine[6] == "OK"
    assert (fine[7], fine[8], fine[9], fine[10]) == (1, 7, "7 forpligtelser markeret som overskredne", None)
    assert isinstance(fine[4], datetime)
    assert isinstance(fine[5], datetime)
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


@pytest.fixture
def lejre_runs(jobs: tuple[Job, ...], administrator: User) -> User:
    """Lejre, another municipality of the installation, with its own administrator; both municipalities'
    jobs have run (Lejre's with counts, summaries and errors of its own)."""
    lejre = make_municipality(LEJRE, "Lejre Kommune")
    make_unit(lejre)
    lejre_admin = make_user(lejre, Role.ADMINISTRATOR, username="lejre-admin")
    jobs_run_due(now=datetime(2025, 1, 6, 7, 0, tzinfo=CPH))
    jobs_run_due(now=datetime(2025, 1, 7, 7, 0, tzinfo=CPH))
    return lejre_admin


def _export_cells(client: Client) -> tuple[int, str]:
    """The export's number of rows (the header included) and its cells as one text."""
    response = client.get("/job/koersler.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))  # under the title row
    return len(rows), " ".join(str(value) for row in rows for value in row if value is not None)


def test_an_administrator_never_sees_another_municipalitys_runs(
    client: Client, administrator: User, lejre_runs: User
) -> None:
    client.force_login(administrator)

    html = client.get("/job/").content.decode()
    count, cells = _export_cells(client)

    assert "Her ses kun kørslerne for Københavns Kommune." in html
    assert "7 forpligtelser markeret som overskredne" in html
    assert "7 forpligtelser" in cells
    for lejre_text in ("4242", "Lejre", "lejre-smtp"):
        assert lejre_text not in html, lejre_text
        assert lejre_text not in cells, lejre_text
    assert count == 4  # Copenhagen's own: fine twice, broken once (retried in the same slot)


def test_the_other_municipalitys_administrator_sees_only_its_runs(
    client: Client, administrator: User, lejre_runs: User
) -> None:
    client.force_login(lejre_runs)

    html = client.get("/job/").content.decode()
    count, cells = _export_cells(client)

    assert "Her ses kun kørslerne for Lejre Kommune." in html
    assert "4242 mails sendt i Lejre" in html
    assert "4242 mails sendt i Lejre" in cells
    assert "RuntimeError: Lejres postserver lejre-smtp.example svarer ikke" in html
    for copenhagen_text in ("7 forpligtelser", "010118", "barn "):
        assert copenhagen_text not in html, copenhagen_text
        assert copenhagen_text not in cells, copenhagen_text
    assert count == 4


def test_the_overview_counts_only_the_own_municipalitys_runs(
    jobs: tuple[Job, ...], administrator: User
) -> None:
    """Lejre has run a later slot than Copenhagen: Copenhagen's overview still shows its own latest run
    and that its current slot is waiting."""
    lejre = make_municipality(LEJRE, "Lejre Kommune")
    jobs_run_due(now=datetime(2025, 1, 6, 7, 0, tzinfo=CPH))
    fine = jobs[0]
    services.job_run(
        job=fine, municipality=lejre, slot=date(2025, 1, 7), now=datetime(2025, 1, 7, 7, 0, tzinfo=CPH)
    )

    rows = selectors.jobs_overview(
        scope=user_scope(administrator), now=datetime(2025, 1, 7, 8, 0, tzinfo=CPH)
    )

    row = next(row for row in rows if row.job.name == "fine")
    assert row.last_run is not None
    assert row.last_run.slot == date(2025, 1, 6)
    assert row.last_run.summary == "7 forpligtelser markeret som overskredne"
    assert (row.current_slot, row.current_slot_done) == (date(2025, 1, 7), False)
    assert selectors.jobs_overview(scope=NO_SCOPE) == []
    assert selectors.job_runs_recent(scope=NO_SCOPE) == []
