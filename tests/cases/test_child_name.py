"""The child's name (`child_name`, docs/contract-extensions.md): taken from the events file and the API,
stored encrypted, shown on the case list and the case page's title, never repeated in an error (the
API's side: tests/api/test_child_name.py)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.importing.errors import ImportRejected, shown_value
from sagstilsyn.cases.importing.services import import_events_file
from sagstilsyn.cases.models import Child, ImportJob
from sagstilsyn.core.child_name import CHILD_NAME_MASK, child_name_decrypt
from sagstilsyn.core.models import Municipality, Role
from tests.factories import make_case, make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

HEADER = "event_id;case_id;child_id;child_name;unit;type;at"
NAME = "Ida Navnesen"


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    return municipality


def _file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(municipality: Municipality, data: bytes) -> None:
    import_events_file(data=data, municipality=municipality, filename="haendelser.csv", source="test")


def _raw_name_column() -> list[str]:
    return list(Child.objects.values_list("name_cipher", flat=True))


def test_the_events_file_stores_the_name_encrypted(copenhagen: Municipality) -> None:
    _import(copenhagen, _file(f"E-1;SAG-1;BARN-1;  {NAME} ;BFE-NORD;need_noticed;2024-10-31"))

    (raw,) = _raw_name_column()
    assert raw
    assert NAME not in raw
    assert "Navnesen" not in raw
    assert child_name_decrypt(raw) == NAME  # cleaned of the spaces around it


def test_a_later_file_renames_the_child_and_a_row_without_a_name_keeps_it(copenhagen: Municipality) -> None:
    _import(copenhagen, _file(f"E-1;SAG-1;BARN-1;{NAME};BFE-NORD;need_noticed;2024-10-31"))
    _import(copenhagen, _file("E-2;SAG-1;BARN-1;;BFE-NORD;concern_received;2024-11-01T09:00:00+01:00"))
    assert child_name_decrypt(Child.objects.get().name_cipher) == NAME
    _import(copenhagen, _file("E-3;SAG-1;BARN-1;Ida Nyt-Navn;BFE-NORD;need_noticed;2024-11-02"))
    assert child_name_decrypt(Child.objects.get().name_cipher) == "Ida Nyt-Navn"


@pytest.mark.parametrize(
    ("bad_name", "says"),
    [
        ("Ida\x0bNavnesen", "U+000B"),
        ("Ida Navnesen 010118-1234", "CPR-nummer"),
        ("Ida " + "x" * 200, "højst 150"),
    ],
)
def test_a_bad_name_is_refused_without_repeating_it(
    copenhagen: Municipality, bad_name: str, says: str
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        _import(copenhagen, _file(f"E-1;SAG-1;BARN-1;{bad_name};BFE-NORD;need_noticed;2024-10-31"))

    (error,) = rejected.value.errors
    assert (error.row, error.column) == (2, "child_name")
    assert says in error.message
    shown = " ".join(rejected.value.lines()) + str(rejected.value)
    assert "Navnesen" not in shown
    assert "Ida" not in shown
    assert "010118" not in shown
    assert Child.objects.count() == 0


def test_the_upload_page_and_its_report_mask_a_bad_name(
    copenhagen: Municipality, settings: SettingsWrapper
) -> None:
    settings.IMPORT_INLINE = True
    client = Client()
    client.force_login(make_user(copenhagen, Role.ADMINISTRATOR, username="admin"))
    data = _file("E-1;SAG-1;BARN-1;Ida\x0bNavnesen;BFE-NORD;need_noticed;2024-10-31")

    response = client.post(
        "/indlaes/", {"file": SimpleUploadedFile("f.csv", data), "source": "import"}, follow=True
    )

    html = response.content.decode()
    assert "Intet er indlæst." in html
    assert "child_name" in html
    assert "Navnesen" not in html
    report = client.get(f"/indlaes/{ImportJob.objects.get().pk}/fejlrapport.xlsx")
    cells = _report_cells(report.content)
    assert "child_name" in cells
    assert "Navnesen" not in cells
    assert "Navnesen" not in str(ImportJob.objects.get().errors)  # not stored with the job either


def test_the_case_list_and_the_case_page_show_the_name_to_the_caseworker(copenhagen: Municipality) -> None:
    worker = make_user(copenhagen, Role.CASEWORKER, copenhagen.units.get(), username="sagsbehandler")
    case = make_case(
        copenhagen, "SAG-1", caseworker="sagsbehandler", child_name=NAME, birth_date=date(2018, 1, 1)
    )
    client = Client()
    client.force_login(worker)

    listing = client.get(reverse("cases:case_list")).content.decode()
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()

    assert f'<span class="case-child-name">{NAME}</span>' in listing
    assert '<span class="child-ref">BARN-SAG-1</span>' in listing  # small, below the name, never wrapped
    assert f'<h1>Sag SAG-1 <span class="case-child-name">· {NAME}</span></h1>' in page
    export = client.get(reverse("cases:case_list_xlsx"))
    assert "Navnesen" not in _report_cells(export.content)  # exports never name a child


def _report_cells(content: bytes) -> str:
    """Every cell of the workbook as one text."""
    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    return " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value)


def test_the_mask_is_what_a_report_shows_for_a_name() -> None:
    assert shown_value("child_name", NAME) == CHILD_NAME_MASK
    assert shown_value("child_name", "") == ""
