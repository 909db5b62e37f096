"""System check: the rule catalogue must load, so a broken catalogue cannot be deployed.

Runs with `check`, `migrate`, `runserver` and every other command that runs system checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from sagstilsyn.law import CatalogueError, load_catalogue
from sagstilsyn.law.loader import DEFAULT_CATALOGUE

CHECK_ID = "sagstilsyn.E001"


def catalogue_dir() -> Path:
    """The catalogue directory in use: settings.RULE_CATALOGUE_DIR, or the one shipped with the package."""
    configured = getattr(settings, "RULE_CATALOGUE_DIR", None)
    return Path(configured) if configured else DEFAULT_CATALOGUE


def rule_catalogue_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    root = catalogue_dir()
    try:
        load_catalogue(root)
    except CatalogueError as error:
        return [
            checks.Error(
                f"Regelkataloget: {problem}",
                hint=f"Ret filen {root / problem.file}" if problem.file.endswith(".yaml") else f"Se {root}",
                id=CHECK_ID,
            )
            for problem in error.problems
        ]
    return []
