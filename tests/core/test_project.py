"""The project skeleton: settings from the environment, the database, and the `sagstilsyn` command."""

from __future__ import annotations

import ast
import importlib.util
import keyword
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from sagstilsyn.cli import main
from sagstilsyn.core.models import User

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_database_is_the_one_asked_for() -> None:
    User.objects.create_user("tester")
    assert User.objects.count() == 1
    wanted = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if wanted.startswith("postgres") else "sqlite")


def test_local_defaults(settings_from_env: Callable[..., dict[str, object]]) -> None:
    values = settings_from_env()
    assert values["DEBUG"] is True
    assert values["TIME_ZONE"] == "Europe/Copenhagen"
    assert values["LANGUAGE_CODE"] == "da"
    assert values["USE_TZ"] is True
    databases = values["DATABASES"]
    assert isinstance(databases, dict)
    assert databases["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(databases["default"]["NAME"]).endswith("db.sqlite3")
    assert "sagstilsyn.core" in values["INSTALLED_APPS"]  # type: ignore[operator]


def test_database_url_is_parsed(settings_from_env: Callable[..., dict[str, object]]) -> None:
    values = settings_from_env(DATABASE_URL="postgres://someone@db.example:5433/tilsyn")
    default = values["DATABASES"]["default"]  # type: ignore[index]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["HOST"], default["PORT"], default["NAME"]) == ("db.example", 5433, "tilsyn")


def test_production_refuses_the_development_secret_key(
    settings_from_env: Callable[..., dict[str, object]],
) -> None:
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        settings_from_env(DJANGO_DEBUG="0")
    with pytest.raises(ImproperlyConfigured, match="SAGSTILSYN_CPR_KEY"):
        settings_from_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    with pytest.raises(ImproperlyConfigured, match="SAGSTILSYN_AUDIT_KEY"):
        settings_from_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, SAGSTILSYN_CPR_KEY="y" * 50)
    values = settings_from_env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        SAGSTILSYN_CPR_KEY="y" * 50,
        SAGSTILSYN_AUDIT_KEY="z" * 50,
        DJANGO_ALLOWED_HOSTS="a,b",
    )
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["a", "b"]


def test_cli_runs_django_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "no issues" in capsys.readouterr().out


def test_cli_rules_works_without_django() -> None:
    code = (
        "import sys; from sagstilsyn.cli import main; rc = main(['rules', 'list']); "
        "assert 'django' not in sys.modules, 'rules loaded Django'; sys.exit(rc)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "concern_assessment" in result.stdout


def test_no_module_is_named_after_a_python_keyword() -> None:
    root = ROOT
    named_after_keywords = [
        str(path.relative_to(root))
        for folder in ("sagstilsyn", "tests", "bench")
        for path in (root / folder).rglob("*")
        if (path.suffix == ".py" or path.is_dir()) and keyword.iskeyword(path.stem)
    ]
    assert not named_after_keywords


def test_the_commit_hooks_run_the_projects_own_tools_and_download_nothing() -> None:
    path = ROOT / ".pre-commit-config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert {"ruff-check", "ruff-format", "mypy", "import-linter", "yamllint", "migrations"} == set(hooks)
    for hook in hooks.values():
        assert hook["language"] == "system", hook["id"]
        assert hook["entry"].startswith(".venv/bin/"), hook["id"]


def test_law_types_are_imported_by_their_own_name_or_through_their_module() -> None:
    """`from sagstilsyn.law import model as law` and `law.Obligation`, never `Obligation as LawObligation`."""
    root = ROOT
    renamed = []
    for folder in ("sagstilsyn", "tests", "bench"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (
                    isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sagstilsyn.law")
                ):
                    continue
                renamed += [
                    f"{path.relative_to(root)}: {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.asname not in (None, alias.name)
                    and not _is_module(f"{node.module}.{alias.name}")
                ]
    assert not renamed


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent is a module, so `name` is a name in it
        return False
