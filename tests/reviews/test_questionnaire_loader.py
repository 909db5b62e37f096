"""The questionnaire loader: the shipped files load, and every kind of broken file is refused in Danish,
naming file, key and value, with every problem collected."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagstilsyn.law import load_catalogue
from sagstilsyn.reviews.questionnaires import (
    SHIPPED_DIR,
    QuestionnaireError,
    QuestionnaireProblem,
    load_questionnaires,
    split_dirs,
)
from sagstilsyn.reviews.questionnaires.model import AllOf, CaseHasEvent, ChildAgeAtLeast, MeasureIn

GOOD = """\
id: local_review
version: 2
title: Lokal gennemgang
valid_from: 2024-01-01
questions:
  - id: child_conversation
    text: Er der holdt børnesamtale?
    rules: [child_views_before_decision]
    applies_when: {case_has_event: measure_decided}
    answers: [ja, nej, delvist, ikke_relevant]
    note_required_for: [nej, delvist]
  - id: plan
    text: Er der en plan?
    guidance: Se barnets plan.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str, name: str = "local_review.v2.yaml") -> list[QuestionnaireProblem]:
    _write(tmp_path / "extra", name, text)
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaires([tmp_path / "extra"])
    return caught.value.problems


def _one(problems: list[QuestionnaireProblem]) -> QuestionnaireProblem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_a_good_file_loads_beside_the_shipped_ones(tmp_path: Path) -> None:
    _write(tmp_path / "extra", "local_review.v2.yaml", GOOD)
    loaded = {q.key: q for q in load_questionnaires([tmp_path / "extra"])}
    local = loaded[("local_review", 2)]
    assert ("monthly_case_review", 1) in loaded
    assert ("quarterly_legal_review", 1) in loaded
    first = local.question("child_conversation")
    assert first.rules == ("child_views_before_decision",)
    assert first.applies_when == CaseHasEvent("measure_decided")
    assert first.note_required_for == ("nej", "delvist")
    plan = local.question("plan")
    assert plan.answers == ("ja", "nej", "delvist", "ikke_relevant")
    assert plan.applies_when is None
    assert plan.guidance == "Se barnets plan."
    assert str(local.source).endswith("local_review.v2.yaml")


def test_the_shipped_questionnaires_load_and_name_only_catalogue_rules() -> None:
    questionnaires = load_questionnaires()
    assert [q.key for q in questionnaires] == [("monthly_case_review", 1), ("quarterly_legal_review", 1)]
    rule_ids = {rule.id for rule in load_catalogue().rules}
    for questionnaire in questionnaires:
        for question in questionnaire.questions:
            assert question.rules, question.id
            assert set(question.rules) <= rule_ids, question.id
            assert question.guidance, question.id


def test_the_quarterly_review_asks_every_review_rule_of_the_catalogue() -> None:
    quarterly = {q.id: q for q in load_questionnaires()}["quarterly_legal_review"]
    asked = {rule_id for question in quarterly.questions for rule_id in question.rules}
    review_rules = {rule.id for rule in load_catalogue().rules if rule.kind == "review"}
    assert review_rules <= asked
    assert asked - review_rules, "the computed rules a lawyer checks are asked too"


def test_the_monthly_review_covers_the_screenings_findings() -> None:
    monthly = {q.id: q for q in load_questionnaires()}["monthly_case_review"]
    asked = {rule_id for question in monthly.questions for rule_id in question.rules}
    # A child conversation, B reasons, C youth sanction, D bisidder and parents, E investigation, F plan,
    # G supported versus supervised contact.
    assert {
        "child_views_before_decision",
        "placement_site_reasons",
        "contact_decision",
        "youth_sanction",
        "bisidder_informed",
        "legal_aid_and_hearing",
        "investigation_required",
        "placement_plan",
    } <= asked


def test_an_unknown_key_is_named(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, GOOD.replace("    guidance:", "    hint: x\n    guidance:")))
    assert problem.key == "questions[1].hint"
    assert "ukendt felt" in problem.message
    assert problem.file.endswith("local_review.v2.yaml")


def test_an_unknown_top_level_key_is_named(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, GOOD.replace("title:", "owner: x\ntitle:")))
    assert problem.key == "owner"


def test_an_unknown_rule_id_is_named(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, GOOD.replace("[child_views_before_decision]", "[no_such_rule]")))
    assert (problem.key, problem.value) == ("questions[0].rules[0]", "no_such_rule")
    assert "ukendt regel" in problem.message


def test_an_unknown_event_type_is_named(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, GOOD.replace("case_has_event: measure_decided", "case_has_event: x")))
    assert (problem.key, problem.value) == ("questions[0].applies_when.case_has_event", "x")
    assert "hændelsestype" in problem.message


def test_a_duplicate_question_id_is_named(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, GOOD.replace("id: plan", "id: child_conversation")))
    assert (problem.key, problem.value) == ("questions[1].id", "child_conversation")
    assert "to gange" in problem.message


@pytest.mark.parametrize("name", ["local_review.v1.yaml", "other.v2.yaml", "local_review.yaml"])
def test_a_file_name_that_does_not_match_id_and_version(tmp_path: Path, name: str) -> None:
    problem = _one(_problems(tmp_path, GOOD, name=name))
    assert (problem.key, problem.value) == ("id", "local_review")
    assert "local_review.v2.yaml" in problem.message
    assert problem.file.endswith(name)


def test_a_bad_answer_is_named(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, GOOD.replace("[ja, nej, delvist, ikke_relevant]", "[ja, måske]")))
    assert (problem.key, problem.value) == ("questions[0].answers[1]", "måske")
    assert "ja, nej, delvist, ikke_relevant" in problem.message


def test_note_required_for_must_be_among_the_answers(tmp_path: Path) -> None:
    text = GOOD.replace("[ja, nej, delvist, ikke_relevant]", "[ja, nej]")
    problem = _one(_problems(tmp_path, text))
    assert (problem.key, problem.value) == ("questions[0].note_required_for[1]", "delvist")
    assert "ikke blandt spørgsmålets svar" in problem.message


def test_the_same_id_and_version_in_two_folders(tmp_path: Path) -> None:
    _write(tmp_path / "a", "local_review.v2.yaml", GOOD)
    _write(tmp_path / "b", "local_review.v2.yaml", GOOD)
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaires([tmp_path / "a", tmp_path / "b"])
    problem = _one(caught.value.problems)
    assert problem.value == "local_review v2"
    assert str(tmp_path / "a") in problem.message
    assert str(tmp_path / "b") in problem.file


def test_a_copy_of_a_shipped_questionnaire_is_refused(tmp_path: Path) -> None:
    text = (SHIPPED_DIR / "monthly_case_review.v1.yaml").read_text(encoding="utf-8")
    problem = _one(_problems(tmp_path, text, name="monthly_case_review.v1.yaml"))
    assert "samme id og version" in problem.message


@pytest.mark.parametrize(
    ("condition", "key", "value"),
    [
        ("{measure_in: [respite]}", "questions[0].applies_when.measure_in[0]", "respite"),
        ("{child_age_at_least: -1}", "questions[0].applies_when.child_age_at_least", -1),
        ("{child_age_at_least: ja}", "questions[0].applies_when.child_age_at_least", "ja"),
        ("{all: []}", "questions[0].applies_when.all", []),
        ("{any: [{case_has_event: x}]}", "questions[0].applies_when.any[0].case_has_event", "x"),
        ("{sometimes: true}", "questions[0].applies_when", {"sometimes": True}),
    ],
)
def test_a_bad_condition_is_named(tmp_path: Path, condition: str, key: str, value: object) -> None:
    text = GOOD.replace("{case_has_event: measure_decided}", condition)
    problem = _one(_problems(tmp_path, text))
    assert (problem.key, problem.value) == (key, value)


def test_nested_conditions_load(tmp_path: Path) -> None:
    condition = "{all: [{measure_in: [support]}, {child_age_at_least: 12}]}"
    _write(
        tmp_path / "x", "local_review.v2.yaml", GOOD.replace("{case_has_event: measure_decided}", condition)
    )
    (local,) = [q for q in load_questionnaires([tmp_path / "x"]) if q.id == "local_review"]
    assert local.questions[0].applies_when == AllOf((MeasureIn(frozenset({"support"})), ChildAgeAtLeast(12)))


def test_every_problem_is_collected_not_only_the_first(tmp_path: Path) -> None:
    text = (
        GOOD.replace("title:", "owner: x\ntitle:")
        .replace("[child_views_before_decision]", "[no_such_rule]")
        .replace("id: plan", "id: child_conversation")
    )
    _write(tmp_path / "extra", "broken.v1.yaml", "id: broken\nversion: 1\n")
    problems = _problems(tmp_path, text)
    keys = {p.key for p in problems}
    assert {"owner", "questions[0].rules[0]", "questions[1].id", "title", "valid_from", "questions"} <= keys
    message = str(QuestionnaireError(problems))
    assert message.startswith("Spørgeskemaerne kan ikke indlæses:")
    assert "(værdi: 'no_such_rule')" in message


def test_yaml_errors_and_missing_folders_are_reported(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "id: [unclosed\n")
    assert problems[0].file.endswith("local_review.v2.yaml")
    with pytest.raises(QuestionnaireError, match="mappen findes ikke"):
        load_questionnaires([tmp_path / "missing"])


def test_split_dirs() -> None:
    assert split_dirs("/a:/b/c::") == [Path("/a"), Path("/b/c")]
    assert split_dirs("") == []
    assert split_dirs(None) == []
