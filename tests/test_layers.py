"""The layers contract in pyproject.toml (`lint-imports`, run by `make lint`; ADR 0012): it holds on the
real tree, and it fails on a copy of the tree with one import that runs the wrong way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` over the package `sagstilsyn` under `root`, with the contracts of its pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--no-logo"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    """The package's Python modules and pyproject.toml, copied under `tmp_path`."""

    def not_python(folder: str, names: list[str]) -> list[str]:
        return [
            name
            for name in names
            if name == "__pycache__" or not (name.endswith(".py") or (Path(folder) / name).is_dir())
        ]

    shutil.copytree(ROOT / "sagstilsyn", tmp_path / "sagstilsyn", ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_real_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # core reaching up into cases, as the start page and the job registry once did
        (
            "core/selectors.py",
            "import sagstilsyn.cases.selectors.overview",
            "core is not allowed to import sagstilsyn.cases",
        ),
        (
            "cases/selectors/cases.py",
            "from sagstilsyn.web import views",
            "cases is not allowed to import sagstilsyn.web",
        ),
        ("law/engine.py", "import sagstilsyn.core.cpr", "law is not allowed to import sagstilsyn.core"),
        ("api/schemas.py", "import sagstilsyn.demo.people", "api is not allowed to import sagstilsyn.demo"),
        ("law/calendar.py", "import django.utils.timezone", "law is not allowed to import django"),
    ],
)
def test_an_import_that_runs_the_wrong_way_breaks_a_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    tree = _copy(tmp_path)
    assert _lint(tree).returncode == 0  # the copy holds, as the real tree does
    target = tree / "sagstilsyn" / module
    target.write_text(f"{target.read_text(encoding='utf-8')}\n{line}  # noqa\n", encoding="utf-8")

    result = _lint(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"sagstilsyn.{broken}" in " ".join(result.stdout.split())


def test_a_new_app_must_be_given_a_layer(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    (tree / "sagstilsyn" / "letters").mkdir()
    (tree / "sagstilsyn" / "letters" / "__init__.py").write_text("", encoding="utf-8")

    result = _lint(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "sagstilsyn.letters" in result.stdout, result.stdout + result.stderr
