"""Loads questionnaires (spørgeskemaer) from YAML, strictly, like the rule catalogue's loader.

Every problem is collected and reported together, each naming the file, the key and the value, in
Danish: unknown keys, an unknown rule id or event type, a duplicate question id, a file name that does
not match id and version, an answer outside the four, `note_required_for` outside the answers, and the
same id and version in two folders. The shipped folder is always loaded; extra folders come beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

from sagstilsyn.law import Catalogue, load_catalogue
from sagstilsyn.law.yamlio import FileProblem, FileProblemsError, YamlReadError, parse_date, read_yaml
from sagstilsyn.reviews.questionnaires.conditions import MEASURE_EVENTS
from sagstilsyn.reviews.questionnaires.model import (
    ANSWERS,
    AllOf,
    Answer,
    AnyOf,
    AppliesWhen,
    CaseHasEvent,
    ChildAgeAtLeast,
    MeasureIn,
    Question,
    Questionnaire,
)

SHIPPED_DIR = Path(__file__).parent / "shipped"
QUESTIONNAIRE_ID = re.compile(r"^[a-z0-9_]+$")
FILE_NAME = re.compile(r"^(?P<id>[a-z0-9_]+)\.v(?P<version>[1-9][0-9]*)\.yaml$")
QUESTIONNAIRE_KEYS = {"id", "version", "title", "valid_from", "questions"}
#: `guidance` (vejledning) is an extension of the contract (docs/contract-extensions.md).
QUESTION_KEYS = {"id", "text", "rules", "applies_when", "answers", "note_required_for", "guidance"}
#: The highest age a `child_age_at_least` may name (aftercare ends well before).
MAX_AGE = 30
CONDITION_KEYS = ("case_has_event", "measure_in", "child_age_at_least", "all", "any")


class QuestionnaireProblem(FileProblem):
    """One thing wrong in a questionnaire file: file, key (a path such as questions[2].rules), value, why."""

    __slots__ = ()


class QuestionnaireError(FileProblemsError[QuestionnaireProblem]):
    """The questionnaires cannot be loaded; `problems` lists every reason."""

    heading = "Spørgeskemaerne kan ikke indlæses"


def split_dirs(setting: str | None) -> list[Path]:
    """The folders of a `:`-separated setting such as SAGSTILSYN_QUESTIONNAIRE_DIRS; empty parts skipped."""
    return [Path(part.strip()) for part in (setting or "").split(":") if part.strip()]


class _FileReader:
    """Reads one questionnaire file; problems are added to the shared list."""

    def __init__(self, problems: list[QuestionnaireProblem], file: str, catalogue: Catalogue):
        self.problems = problems
        self.file = file
        self.catalogue = catalogue
        self.rule_ids = {rule.id for rule in catalogue.rules}

    def fail(self, key: str, value: object, message: str) -> None:
        self.problems.append(QuestionnaireProblem(self.file, key, value, message))

    def keys(self, where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                path = f"{where}.{key}" if where else str(key)
                self.fail(path, None, f"ukendt felt; tilladte felter er {', '.join(sorted(allowed))}")

    def mapping(self, where: str, value: object) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return cast(Mapping[str, Any], value)
        self.fail(where, value, "skal være en samling af felter (mapping)")
        return None

    def text(self, where: str, value: object, *, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.fail(where, None, "mangler")
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.fail(where, value, "skal være en tekst")
        return None

    def read(self, data: object, name: str) -> Questionnaire | None:
        entry = self.mapping("", data)
        if entry is None:
            return None
        self.keys("", entry, QUESTIONNAIRE_KEYS)
        questionnaire_id = self.text("id", entry.get("id"))
        if questionnaire_id and not QUESTIONNAIRE_ID.match(questionnaire_id):
            self.fail("id", questionnaire_id, "id'et må kun indeholde små bogstaver, tal og _")
        version = entry.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail("version", version, "skal være et positivt helt tal")
            version = None
        if questionnaire_id and version is not None:
            expected = f"{questionnaire_id}.v{version}.yaml"
            if name != expected:
                self.fail("id", questionnaire_id, f"filen skal hedde '{expected}' (id og version)")
        elif not FILE_NAME.match(name):
            self.fail("", name, "filnavnet skal have formen <id>.v<version>.yaml")
        title = self.text("title", entry.get("title"))
        valid_from = self.date("valid_from", entry.get("valid_from"))
        questions = self.questions(entry.get("questions"))
        if not (questionnaire_id and version is not None and title and valid_from and questions):
            return None
        return Questionnaire(questionnaire_id, version, title, valid_from, questions, self.file)

    def date(self, where: str, value: object) -> date | None:
        if value is None:
            self.fail(where, None, "mangler")
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.fail(where, value, str(error))
            return None

    def questions(self, value: object) -> tuple[Question, ...] | None:
        if not isinstance(value, list) or not value:
            self.fail("questions", value, "skal være en ikke-tom liste af spørgsmål")
            return None
        read = [self.question(f"questions[{index}]", item) for index, item in enumerate(value)]
        seen: set[str] = set()
        for index, item in enumerate(value):
            question_id = item.get("id") if isinstance(item, Mapping) else None
            if not isinstance(question_id, str):
                continue
            if question_id in seen:
                self.fail(f"questions[{index}].id", question_id, "spørgsmålets id står to gange i skemaet")
            seen.add(question_id)
        valid = tuple(question for question in read if question is not None)
        return valid if len(valid) == len(value) else None

    def question(self, where: str, value: object) -> Question | None:
        data = self.mapping(where, value)
        if data is None:
            return None
        before = len(self.problems)
        self.keys(where, data, QUESTION_KEYS)
        question_id = self.text(f"{where}.id", data.get("id"))
        if question_id and not QUESTIONNAIRE_ID.match(question_id):
            self.fail(f"{where}.id", question_id, "id'et må kun indeholde små bogstaver, tal og _")
        text = self.text(f"{where}.text", data.get("text"))
        guidance = self.text(f"{where}.guidance", data.get("guidance"), required=False)
        rules = self.rules(f"{where}.rules", data.get("rules"))
        answers = self.answers(f"{where}.answers", data.get("answers"), ANSWERS) or ANSWERS
        note_required_for = self.answers(
            f"{where}.note_required_for", data.get("note_required_for", []), answers, empty_ok=True
        )
        applies_when = None
        if data.get("applies_when") is not None:
            applies_when = self.condition(f"{where}.applies_when", data.get("applies_when"))
        if len(self.problems) > before or not (question_id and text):
            return None
        return Question(question_id, text, rules, answers, note_required_for or (), applies_when, guidance)

    def rules(self, where: str, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(where, value, "skal være en liste af regel-id'er")
            return ()
        for index, rule_id in enumerate(value):
            if rule_id not in self.rule_ids:
                self.fail(f"{where}[{index}]", rule_id, "ukendt regel (se 'sagstilsyn rules list')")
        return tuple(value)

    def answers(
        self, where: str, value: object, allowed: Sequence[Answer], *, empty_ok: bool = False
    ) -> tuple[Answer, ...] | None:
        """A list of answers, each among `allowed` and none twice; None when the key is absent or wrong."""
        if value is None:
            return None
        if not isinstance(value, list) or (not value and not empty_ok):
            self.fail(where, value, "skal være en liste af svar")
            return None
        good: list[Answer] = []
        for index, item in enumerate(value):
            if item not in allowed:
                if allowed == ANSWERS:
                    message = f"ukendt svar; tilladte svar er {', '.join(ANSWERS)}"
                else:
                    message = f"svaret er ikke blandt spørgsmålets svar ({', '.join(allowed)})"
                self.fail(f"{where}[{index}]", item, message)
            elif item in good:
                self.fail(f"{where}[{index}]", item, "svaret står to gange")
            else:
                good.append(cast(Answer, item))
        return tuple(good) if len(good) == len(value) else None

    def condition(self, where: str, value: object) -> AppliesWhen | None:
        """One `applies_when` condition: a mapping with exactly one of the condition keys."""
        data = self.mapping(where, value)
        if data is None:
            return None
        if len(data) != 1 or next(iter(data)) not in CONDITION_KEYS:
            self.fail(where, dict(data), f"skal have præcis ét af felterne {', '.join(CONDITION_KEYS)}")
            return None
        key, raw = next(iter(data.items()))
        at = f"{where}.{key}"
        readers = {
            "case_has_event": self.case_has_event,
            "measure_in": self.measure_in,
            "child_age_at_least": self.child_age_at_least,
        }
        if key in readers:
            return readers[key](at, raw)
        return self.combined(at, key, raw)

    def case_has_event(self, where: str, raw: object) -> CaseHasEvent | None:
        if not isinstance(raw, str) or raw not in self.catalogue.event_types:
            self.fail(where, raw, "ukendt hændelsestype (se regelkatalogets events.yaml)")
            return None
        return CaseHasEvent(raw)

    def child_age_at_least(self, where: str, raw: object) -> ChildAgeAtLeast | None:
        if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= MAX_AGE:
            self.fail(where, raw, f"skal være en alder i hele år (0–{MAX_AGE})")
            return None
        return ChildAgeAtLeast(raw)

    def combined(self, where: str, key: str, raw: object) -> AllOf | AnyOf | None:
        """`all: [..]` or `any: [..]`: a non-empty list of conditions, each of them valid."""
        if not isinstance(raw, list) or not raw:
            self.fail(where, raw, "skal være en ikke-tom liste af betingelser")
            return None
        parts = [self.condition(f"{where}[{index}]", item) for index, item in enumerate(raw)]
        valid = tuple(part for part in parts if part is not None)
        if len(valid) != len(parts):
            return None
        return AllOf(valid) if key == "all" else AnyOf(valid)

    def measure_in(self, where: str, raw: object) -> MeasureIn | None:
        known = self.known_measures()
        if not isinstance(raw, list) or not raw:
            self.fail(where, raw, f"skal være en liste af foranstaltninger ({', '.join(known)})")
            return None
        bad = False
        for index, item in enumerate(raw):
            if item not in known:
                self.fail(f"{where}[{index}]", item, f"ukendt foranstaltning; tilladte er {', '.join(known)}")
                bad = True
        return None if bad else MeasureIn(frozenset(cast(list[str], raw)))

    def known_measures(self) -> list[str]:
        values: list[str] = []
        for type_id in MEASURE_EVENTS:
            event_type = self.catalogue.event_types.get(type_id)
            spec = event_type.attributes.get("measure") if event_type else None
            for value in spec.values if spec else ():
                if value not in values:
                    values.append(value)
        return values


def _files(problems: list[QuestionnaireProblem], folder: Path) -> list[Path]:
    if not folder.is_dir():
        problems.append(QuestionnaireProblem(str(folder), "", None, "mappen findes ikke"))
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml"))


def load_questionnaires(
    extra_dirs: Iterable[Path | str] = (), catalogue: Catalogue | None = None
) -> tuple[Questionnaire, ...]:
    """The shipped questionnaires and those in `extra_dirs`, by id and version.

    Raises QuestionnaireError listing every problem found.
    """
    catalogue = catalogue if catalogue is not None else load_catalogue()
    problems: list[QuestionnaireProblem] = []
    loaded: dict[tuple[str, int], Questionnaire] = {}
    folders = [SHIPPED_DIR, *(Path(folder) for folder in extra_dirs)]
    for folder in dict.fromkeys(folder.resolve() for folder in folders):
        for path in _files(problems, folder):
            file = str(path)
            try:
                data = read_yaml(path)
            except YamlReadError as error:
                problems.append(QuestionnaireProblem(file, "", None, error.detail))
                continue
            questionnaire = _FileReader(problems, file, catalogue).read(data, path.name)
            if questionnaire is None:
                continue
            if questionnaire.key in loaded:
                problems.append(
                    QuestionnaireProblem(
                        file,
                        "id",
                        f"{questionnaire.id} v{questionnaire.version}",
                        f"samme id og version findes også i {loaded[questionnaire.key].source}",
                    )
                )
                continue
            loaded[questionnaire.key] = questionnaire
    if problems:
        raise QuestionnaireError(problems)
    return tuple(loaded[key] for key in sorted(loaded))
