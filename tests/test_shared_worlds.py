"""The shared worlds of tests/conftest.py: built once for a class (or module), each test's own writes
rolled back after it, and the world itself gone when its class (or module) is done."""

from __future__ import annotations

import pytest
from pytest_django import DjangoDbBlocker

from sagstilsyn.core.models import Municipality, Unit
from tests.factories import make_municipality, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def lejre(class_db: DjangoDbBlocker) -> Municipality:
    with class_db.unblock():
        return make_municipality("350", "Lejre Kommune")


class TestAClassWorld:
    def test_the_world_is_there_and_a_test_may_write(self, lejre: Municipality) -> None:
        assert Municipality.objects.get(code="350") == lejre
        make_unit(lejre, "BFE-NY")
        assert Unit.objects.filter(code="BFE-NY").exists()

    def test_the_writes_of_the_test_before_are_gone(self, lejre: Municipality) -> None:
        assert Municipality.objects.get(code="350") == lejre
        assert not Unit.objects.filter(code="BFE-NY").exists()


def test_the_world_is_gone_after_its_class() -> None:
    assert not Municipality.objects.exists()
