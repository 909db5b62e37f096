"""Domain terms defined once, in the law core, and never restated elsewhere in Sagstilsyn's code.

- Today's Danish date: only `today_local` (and `local_date`) in law/calendar.py work it out; no
  `timezone.localdate()`, `date.today()` or `….astimezone(…).date()` elsewhere.
- The statuses' Danish labels: only `ObligationStatus` in law/model.py spells them.
- The yes/no words: only law/yes_no.py defines `TRUE_WORDS` and `FALSE_WORDS`.

The checks read the source with `ast`, so docstrings and comments may name what they refer to.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import TypeGuard

from sagstilsyn.law.model import ObligationStatus

PACKAGE = Path(__file__).resolve().parents[1] / "sagstilsyn"
CALENDAR = PACKAGE / "law" / "calendar.py"
MODEL = PACKAGE / "law" / "model.py"
YES_NO = PACKAGE / "law" / "yes_no.py"


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def todays_date_worked_out(tree: ast.AST) -> list[int]:
    """Lines that call `timezone.localdate()`, `date.today()` or `<x>.astimezone(<zone>).date()`."""
    return [node.lineno for node in ast.walk(tree) if _works_out_today(node)]


def _works_out_today(node: ast.AST) -> TypeGuard[ast.Call]:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    name, owner = node.func.attr, node.func.value
    if name == "localdate":
        return True
    if name == "today":
        return isinstance(owner, ast.Name) and owner.id in {"date", "datetime"}
    return (
        name == "date"
        and isinstance(owner, ast.Call)
        and isinstance(owner.func, ast.Attribute)
        and owner.func.attr == "astimezone"
    )


def status_labels_spelled(tree: ast.AST) -> list[int]:
    labels = {status.label for status in ObligationStatus}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in labels
    ]


def yes_no_words_defined(tree: ast.AST) -> list[int]:
    names = {"TRUE_WORDS", "FALSE_WORDS"}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id in names
    ]


def test_only_the_calendar_works_out_todays_danish_date() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path, tree in _modules()
        if path != CALENDAR
        for line in todays_date_worked_out(tree)
    ]
    assert not found, "brug sagstilsyn.law.calendar.today_local:\n" + "\n".join(found)


def test_only_the_law_core_spells_the_status_labels() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path, tree in _modules()
        if path != MODEL
        for line in status_labels_spelled(tree)
    ]
    assert not found, "brug ObligationStatus(...).label:\n" + "\n".join(found)


def test_only_the_law_core_defines_the_yes_no_words() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path, tree in _modules()
        if path != YES_NO
        for line in yes_no_words_defined(tree)
    ]
    assert not found, "brug sagstilsyn.law.yes_no:\n" + "\n".join(found)


def test_the_checks_find_what_they_look_for() -> None:
    today = ast.parse(
        "a = timezone.localdate()\nb = date.today()\nc = now.astimezone(COPENHAGEN).date()\nd = today_local()"
    )
    assert todays_date_worked_out(today) == [1, 2, 3]
    assert status_labels_spelled(ast.parse('x = "Overskredet"\ny = "overskredet"')) == [1]
    assert yes_no_words_defined(ast.parse('TRUE_WORDS = {"ja"}\nFALSE_WORDS: set[str] = set()')) == [1, 2]
    assert todays_date_worked_out(ast.parse(CALENDAR.read_text(encoding="utf-8")))
    assert status_labels_spelled(ast.parse(MODEL.read_text(encoding="utf-8")))
    assert yes_no_words_defined(ast.parse(YES_NO.read_text(encoding="utf-8")))
