"""Builds broken copies of the shipped catalogue for loader tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sagstilsyn.law.loader import DEFAULT_CATALOGUE


def catalogue_copy(tmp_path: Path) -> Path:
    root = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE, root, ignore=shutil.ignore_patterns("tests"))
    return root


def edit_rule(root: Path, rule_id: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """Load rules/<rule_id>.yaml, let `change` mutate it, and write it back."""
    path = root / "rules" / f"{rule_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
