"""Shared fixtures: copies of the rule catalogue that tests may change or break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.law.loader import DEFAULT_CATALOGUE

FIXTURES = Path(__file__).parent / "core" / "fixtures"
FIXTURE_RULE_ID = "fixture_acknowledgement"
FIXTURE_RULE_TITLE = "Testregel om kvittering inden 6 hverdage"
#: The fixture rule's unverified citation (barnets lov) and its verified one (serviceloven).
FIXTURE_UNVERIFIED_LABEL = "Barnets lov § 999, stk. 7"
FIXTURE_VERIFIED_LABEL = "Serviceloven § 999 b, stk. 1"


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue plus the test rule `rules/fixture_acknowledgement.yaml`."""
    target = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE, target)
    shutil.copy(FIXTURES / f"{FIXTURE_RULE_ID}.yaml", target / "rules" / f"{FIXTURE_RULE_ID}.yaml")
    return target


@pytest.fixture
def use_catalogue(settings: SettingsWrapper, catalogue_dir: Path) -> Iterator[Path]:
    """Point settings.RULE_CATALOGUE_DIR at the copied catalogue for the duration of a test."""
    settings.RULE_CATALOGUE_DIR = str(catalogue_dir)
    yield catalogue_dir
