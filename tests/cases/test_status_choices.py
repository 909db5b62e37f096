"""The stored obligation's status choices are the law core's statuses: values and Danish labels."""

from __future__ import annotations

from django.db.migrations.loader import MigrationLoader

from sagstilsyn.cases.models import Obligation
from sagstilsyn.law.model import ObligationStatus


def test_the_status_choices_are_the_law_cores_statuses() -> None:
    field = Obligation._meta.get_field("status")
    assert list(field.choices or []) == [(status.value, status.label) for status in ObligationStatus]
    assert field.max_length is not None
    assert max(len(status.value) for status in ObligationStatus) <= field.max_length


def test_the_migrations_hold_the_same_choices() -> None:
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    field = state.models["cases", "obligation"].fields["status"]
    assert list(field.choices or []) == [(status.value, status.label) for status in ObligationStatus]
