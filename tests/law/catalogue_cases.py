"""Collects every jurist case file shipped with the catalogue, for the pytest items and conventions, and
holds the text of a good one for tests that write their own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sagstilsyn.law import default_catalogue
from sagstilsyn.law.jurist_cases import CaseFileError, CaseResult, JuristCase, parse_case_file, run_case
from sagstilsyn.law.loader import DEFAULT_CATALOGUE

CASES_DIR = DEFAULT_CATALOGUE / "tests"

#: A jurist case file that passes: the contract's example, for tests that write case files of their own.
GOOD_CASE = """
- name: Underretning fredag den 20. december 2024 skal kvitteres senest mandag den 6. januar 2025
  as_of: 2025-01-07
  events:
    - type: concern_received
      at: 2024-12-20T14:00:00+01:00
      notifier: professional
    - type: concern_acknowledged
      at: 2025-01-06
  expect:
    - rule: concern_acknowledgement
      due: 2025-01-06
      status: met
      law: barnets_lov
"""


@dataclass(frozen=True)
class CaseItem:
    """One pytest item: a parsed case, or a file that could not be parsed."""

    id: str
    case: JuristCase | None = None
    error: str | None = None


def case_paths() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


@lru_cache(maxsize=1)
def all_items() -> tuple[CaseItem, ...]:
    catalogue = default_catalogue()
    items: list[CaseItem] = []
    for path in case_paths():
        try:
            cases = parse_case_file(path, catalogue, display=path.name)
        except CaseFileError as error:
            items.append(CaseItem(path.name, error=str(error)))
            continue
        items.extend(CaseItem(f"{path.stem}::{case.name}", case) for case in cases)
    return tuple(items)


@lru_cache(maxsize=1)
def all_results() -> tuple[CaseResult, ...]:
    catalogue = default_catalogue()
    return tuple(run_case(item.case, catalogue) for item in all_items() if item.case is not None)
