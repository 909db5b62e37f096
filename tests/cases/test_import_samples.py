"""The upload page's sample files (static/cases/eksempler/) import cleanly, one after another, into an
empty database: the organisation, then the staff, then the events."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagstilsyn.cases.importing import import_events_file, import_organisation_file, import_staff_file
from sagstilsyn.core.models import Municipality

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parents[2] / "sagstilsyn" / "cases" / "static" / "cases" / "eksempler"


def test_the_sample_files_import_in_order() -> None:
    organisation = import_organisation_file(data=(SAMPLES / "organisation-eksempel.csv").read_bytes())
    assert organisation.units_created == 3
    staff = import_staff_file(data=(SAMPLES / "medarbejdere-eksempel.csv").read_bytes())
    assert staff.roles_assigned == 5
    events = import_events_file(
        data=(SAMPLES / "haendelser-eksempel.csv").read_bytes(), municipality=Municipality.objects.get()
    )
    assert (events.events_created, events.cases_created) == (6, 2)
