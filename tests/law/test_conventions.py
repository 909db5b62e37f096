"""House rules of the law core, checked: cited, tested, pure Python."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

from sagstilsyn.law import load_catalogue
from sagstilsyn.law.calendar import local_date
from tests.law.catalogue_cases import all_items, all_results

ROOT = Path(__file__).resolve().parents[2]
LAW_PACKAGE = ROOT / "sagstilsyn" / "law"


def _as_of_day(value: date | datetime) -> date:
    return local_date(value)


def test_every_computed_rule_version_has_at_least_three_jurist_cases_inside_on_and_after() -> None:
    catalogue = load_catalogue()
    cases_per_version: dict[tuple[str, date], set[str]] = defaultdict(set)
    statuses: dict[tuple[str, date], set[str]] = defaultdict(set)
    on_due_date: set[tuple[str, date]] = set()
    for result in all_results():
        for obligation in result.matched:
            key = (obligation.rule_id, obligation.valid_from)
            cases_per_version[key].add(result.case.name)
            statuses[key].add(obligation.status)
            due_day = local_date(obligation.due)
            satisfied_on_due = obligation.satisfied_by is not None and obligation.satisfied_by.day == due_day
            open_on_due = obligation.status == "open" and _as_of_day(result.case.as_of) == due_day
            if satisfied_on_due or open_on_due:
                on_due_date.add(key)
    missing = []
    for rule in catalogue.rules:
        if not rule.computed:
            continue
        for version in rule.versions:
            key = (rule.id, version.valid_from)
            label = f"{rule.id} fra {version.valid_from.isoformat()}"
            if len(cases_per_version[key]) < 3:
                missing.append(f"{label}: {len(cases_per_version[key])} cases (mindst 3)")
            if not statuses[key] & {"met", "open"}:
                missing.append(f"{label}: ingen case inden for fristen")
            if not statuses[key] & {"overdue", "met_late"}:
                missing.append(f"{label}: ingen case efter fristen")
            if key not in on_due_date:
                missing.append(f"{label}: ingen case på selve fristdagen")
    assert not missing, "\n".join(missing)


def test_every_case_file_parses() -> None:
    broken = [item.error for item in all_items() if item.error]
    assert not broken, "\n".join(str(b) for b in broken)


def test_every_rule_is_cited_and_review_items_ask_a_question() -> None:
    for rule in load_catalogue().rules:
        assert rule.versions, rule.id
        for version in rule.versions:
            assert version.citations, rule.id
            assert all(c.url.startswith("http") for c in version.citations), rule.id
        if rule.kind == "review":
            assert rule.question, rule.id
        else:
            assert rule.trigger is not None, rule.id
            assert rule.satisfied_by is not None, rule.id


def _ruff_banned_imports(*args: str, probe: str | None = None) -> list[str]:
    """Ruff's banned-import findings (TID251) for `args`, as `make lint` would report them."""
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID251"]
    result = subprocess.run(
        [*command, "--output-format", "concise", *args],
        input=probe,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return [line for line in result.stdout.splitlines() if "TID251" in line]


def test_lint_refuses_django_and_the_apps_in_the_law_core() -> None:
    """sagstilsyn/law/ruff.toml bans them; this fails if the ban is lifted or loses a module."""
    probe = "\n".join(
        [
            "import django",
            "from django.db import models",
            "from ninja import NinjaAPI",
            "from sagstilsyn.api import endpoints",
            "from sagstilsyn.cases.models import Case",
            "from sagstilsyn.core import models as core_models",
            "import sagstilsyn.demo",
        ]
    )
    found = _ruff_banned_imports("--stdin-filename", str(LAW_PACKAGE / "probe.py"), "-", probe=probe)
    assert len(found) == 7, found
    assert not _ruff_banned_imports(
        "--stdin-filename", str(ROOT / "sagstilsyn" / "probe.py"), "-", probe=probe
    )


def test_the_law_core_never_imports_django() -> None:
    assert not _ruff_banned_imports(str(LAW_PACKAGE))
