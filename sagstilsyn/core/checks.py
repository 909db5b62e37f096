"""System checks: the rule catalogue must load, so a broken catalogue cannot be deployed; the CPR key
must be the one the stored CPR numbers were encrypted with (ADR 0017).

The catalogue check runs with `check`, `migrate`, `runserver` and every other command that runs system
checks. The CPR key check reads the database, so it is a database check: it runs with `migrate` and
`check --database default`; the WSGI and ASGI entries (which runserver loads too) run the same
verification before they serve (`core.services.cpr_key.cpr_key_startup`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from sagstilsyn.core.services.cpr_key import CPR_KEY_WRONG, CprKeyState, cpr_key_verify
from sagstilsyn.law import CatalogueError, load_catalogue
from sagstilsyn.law.loader import DEFAULT_CATALOGUE

CHECK_ID = "sagstilsyn.E001"
CPR_KEY_CHECK_ID = "sagstilsyn.E002"


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


def cpr_key_check(
    app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A wrong CPR key is an error that stops the start. Without a database, or before `migrate` has
    made the table, there is nothing to compare with: no message (the first start after it stores the
    key's check value). Django asks it only with the databases it may read (`databases`)."""
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    try:
        state = cpr_key_verify()
    except DatabaseError:
        return []
    if state is CprKeyState.WRONG:
        return [
            checks.Error(
                CPR_KEY_WRONG,
                hint="Har installationen fået en ny nøgle med vilje, skal CPR-numrene indlæses igen "
                "under den nye nøgle; se docs/operations.md.",
                id=CPR_KEY_CHECK_ID,
            )
        ]
    return []
