"""`sagstilsyn questionnaires list|check`: runs without Django, prints and exits as documented."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sagstilsyn.cli import main as sagstilsyn_main
from sagstilsyn.reviews.questionnaires.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_list_prints_id_version_title_and_question_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAGSTILSYN_QUESTIONNAIRE_DIRS", raising=False)
    code, out, _ = _run("list")
    assert code == 0
    assert out.splitlines() == [
        "monthly_case_review\tv1\tMånedlig sagsgennemgang\t9 spørgsmål",
        "quarterly_legal_review\tv1\tKvartalsvis juridisk gennemgang\t24 spørgsmål",
    ]


def test_check_is_quiet_and_zero_on_good_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAGSTILSYN_QUESTIONNAIRE_DIRS", raising=False)
    assert _run("check") == (0, "2 spørgeskemaer er i orden.\n", "")


def test_check_exits_one_with_the_danish_problems(tmp_path: Path) -> None:
    (tmp_path / "bad.v1.yaml").write_text("id: bad\nversion: 1\nlabel: x\n", encoding="utf-8")
    code, out, err = _run("check", str(tmp_path))
    assert code == 1
    assert out == ""
    assert err.startswith("Spørgeskemaerne kan ikke indlæses:")
    assert "bad.v1.yaml, felt 'label': ukendt felt" in err
    assert "felt 'title': mangler" in err


def test_the_setting_names_the_extra_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.v1.yaml").write_text("id: bad\n", encoding="utf-8")
    monkeypatch.setenv("SAGSTILSYN_QUESTIONNAIRE_DIRS", f"{tmp_path}:")
    assert _run("check")[0] == 1


def test_the_sagstilsyn_command_dispatches_to_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert sagstilsyn_main(["questionnaires", "list"]) == 0
    assert "monthly_case_review" in capsys.readouterr().out


def test_it_runs_without_django() -> None:
    code = (
        "import sys; from sagstilsyn.cli import main; rc = main(['questionnaires', 'check']); "
        "sys.exit(rc or ('django' in sys.modules and 3))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("SAGSTILSYN_QUESTIONNAIRE_DIRS", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
