"""`sagstilsyn rules test|list|show` (rules-contract.md §1)."""

from __future__ import annotations

import io
from pathlib import Path

from sagstilsyn.law import load_catalogue
from sagstilsyn.law.cli import main
from tests.law.catalogue_cases import GOOD_CASE


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_rules_test_passes_and_prints_the_summary_line(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(GOOD_CASE, encoding="utf-8")
    code, out, _ = run("test", str(path))
    assert code == 0
    assert out.strip().splitlines()[-1] == "1 passed, 0 failed"


def test_rules_test_prints_one_line_per_failing_case_and_exits_non_zero(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_CASE, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD_CASE.replace("status: met", "status: overdue"), encoding="utf-8")
    code, out, _ = run("test", str(good), str(bad))
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[-1] == "1 passed, 1 failed"
    assert len(lines) == 2
    assert str(bad) in lines[0]
    assert "forventet overdue, fik met" in lines[0]


def test_rules_test_reports_a_malformed_file_without_crashing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD_CASE.replace("status: met", "status: fint"), encoding="utf-8")
    code, out, _ = run("test", str(bad))
    assert code == 1
    assert "expect[0].status" in out
    assert out.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_rules_test_accepts_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD_CASE, encoding="utf-8")
    code, out, _ = run("test", str(tmp_path))
    assert code == 0
    assert "1 passed" in out


def test_rules_list_shows_every_rule_with_versions_and_unverified_marks() -> None:
    code, out, _ = run("list")
    assert code == 0
    assert "concern_acknowledgement" in out
    assert "Kvittering til fagperson inden 6 hverdage" in out
    assert "Serviceloven § 155 b, stk. 1" in out
    assert "Barnets lov § 136 [IKKE VERIFICERET]" in out
    assert "2024-01-01 – …" in out


def test_rules_show_prints_one_rule_in_danish() -> None:
    code, out, _ = run("show", "investigation_deadline")
    assert code == 0
    assert "Børnefaglig undersøgelse afsluttet inden 4 måneder" in out
    assert "Barnets lov § 20, stk. 3" in out
    assert "Kilde: https://" in out
    assert "Frist: 4 måneder" in out


def test_rules_show_unknown_rule() -> None:
    code, _, err = run("show", "nope")
    assert code == 2
    assert "Ukendt regel 'nope'" in err


def test_rules_commands_fail_cleanly_on_a_broken_catalogue(tmp_path: Path) -> None:
    code, _, err = run("--catalogue", str(tmp_path), "list")
    assert code == 2
    assert "Regelkataloget kan ikke indlæses" in err


def test_rules_list_names_the_text_every_verified_citation_was_read_in() -> None:

    code, out, _ = run("list")
    verified = [
        c for rule in load_catalogue().rules for v in rule.versions for c in v.citations if c.verified
    ]
    assert code == 0
    assert verified
    assert out.count(" er læst i: ") == len(verified)
    assert "Barnets lov § 108, stk. 2 er læst i: LBK nr. 282 af 17/03/2025 (barnets lov) § 108" in out


def test_rules_show_prints_our_interpretation_and_a_versions_own_satisfying_events() -> None:
    code, out, _ = run("show", "support_plan")
    assert code == 0
    assert "Opfyldes af i denne version: Barnets plan / ungeplan udarbejdet" in out
    code, out, _ = run("show", "child_views_before_decision")
    assert "Sagstilsyns fortolkning: " in out
    assert "efter den forrige udløsende hændelse i sagen" in out
