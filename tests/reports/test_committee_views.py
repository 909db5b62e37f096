"""The committee report's pages (ADR 0039): a committee member downloads the PDF and the XLSX, the
download is stored and audited, the list shows each stored report's verify status, and no response names
a case."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import AuditEvent, Municipality, Role
from sagstilsyn.reports.models import CommitteeReport
from tests.factories import make_user
from tests.reports.committee_world import committee_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(tmp_path: Path) -> Municipality:
    return committee_world(tmp_path)


def _client(municipality: Municipality, role: str) -> Client:
    client = Client()
    client.force_login(make_user(municipality, role, username=f"bruger-{role}"))
    return client


def test_a_committee_member_downloads_the_pdf_and_it_is_stored_and_audited(
    municipality: Municipality,
) -> None:
    client = _client(municipality, Role.COMMITTEE_MEMBER)
    response = client.get(reverse("reports:committee_report"), {"periode": "2025Q2", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "2. kvartal 2025" in text
    for ref in Case.objects.values_list("source_ref", flat=True):
        assert ref not in text
    report = CommitteeReport.objects.get()
    assert report.period == "2025Q2"
    assert AuditEvent.objects.filter(action="committee_report_download", target_id=str(report.pk)).exists()


def test_the_xlsx_download_and_the_list_with_its_export(municipality: Municipality) -> None:
    client = _client(municipality, Role.CENTRE_LAWYER)
    response = client.get(reverse("reports:committee_report"), {"periode": "2025Q2", "format": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Om rapporten"
    page = client.get(reverse("reports:committee_reports"))
    assert page.status_code == 200
    assert "Passer" in page.content.decode()
    listed = load_workbook(
        io.BytesIO(client.get(reverse("reports:committee_reports"), {"format": "xlsx"}).content)
    ).active
    assert listed is not None
    assert [row[4] for row in listed.iter_rows(min_row=3, values_only=True)] == ["Passer"]


def test_a_bad_format_or_period_is_a_400(municipality: Municipality) -> None:
    client = _client(municipality, Role.COMMITTEE_MEMBER)
    assert client.get(reverse("reports:committee_report"), {"format": "docx"}).status_code == 400
    assert client.get(reverse("reports:committee_report"), {"periode": "2025Q9"}).status_code == 400
    assert not CommitteeReport.objects.exists()


def test_a_caseworker_may_not(municipality: Municipality) -> None:
    client = _client(municipality, Role.CASEWORKER)
    assert client.get(reverse("reports:committee_report")).status_code == 403
    assert client.get(reverse("reports:committee_reports")).status_code == 403
