"""The catalogue's research notes: told apart from notes about the law, and kept in docs/research/."""

from __future__ import annotations

from sagstilsyn.law import default_catalogue
from sagstilsyn.law.research import RESEARCH_FILE, is_source_note, plain_text, research_notes_markdown


def test_a_note_about_our_sources_is_told_from_a_note_about_the_law() -> None:
    assert is_source_note("Kun sekundære kilder: Socialstyrelsen; lovteksten er ikke set.")
    assert is_source_note("Social- og Boligministeriet (sm.dk, tilsyn) oplyser, at tilsynet skal foretages.")
    assert is_source_note("Retten til bisidder er bekræftet; resten er ikke set i ordlyden.")
    assert not is_source_note("Ungeplanen skal foreligge senest 3 måneder efter, at den unge er fyldt 16 år.")
    assert not is_source_note("Undtagelsen i helt særlige tilfælde.")
    assert not is_source_note(None)


def test_another_rule_is_named_by_its_title_not_its_id() -> None:
    catalogue = default_catalogue()
    text = plain_text(catalogue, "(se complaint_forwarding); youth_plan og youth_plan_placement.")
    assert text == (
        "(se «Klage genvurderet og sendt til Ankestyrelsen inden 4 uger»); «Stillingtagen til ungeplan, når "
        "den unge fylder 16 år» og «Ungeplan ved anbringelse af en ung over 16 år»."
    )


def test_the_research_file_is_in_step_with_the_catalogue() -> None:
    expected = research_notes_markdown(default_catalogue())
    assert RESEARCH_FILE.read_text(encoding="utf-8") == expected, (
        "docs/research/rule-notes.md er ikke i takt med regelkataloget: kør python -m sagstilsyn.law.research"
    )
    assert "lovguiden.dk" in expected
