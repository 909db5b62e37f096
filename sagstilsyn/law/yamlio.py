"""Strict YAML reading for the catalogue and the jurist case files.

Timestamps are kept as text and parsed here, so that a datetime without a UTC offset is an error
rather than a silently naive value, and a key written twice is an error rather than overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One thing wrong in a YAML file the project reads strictly (the catalogue, a questionnaire): file,
    key (a path such as versions[1].citations), value, and why, in Danish."""

    file: str
    key: str
    value: object
    message: str

    def __str__(self) -> str:
        shown = "" if self.value is None else f" (værdi: {self.value!r})"
        key = f", felt '{self.key}'" if self.key else ""
        return f"{self.file}{key}{shown}: {self.message}"


P = TypeVar("P", bound=FileProblem)


class FileProblemsError(ValueError, Generic[P]):
    """Files cannot be loaded; `problems` lists every reason under the subclass's `heading`."""

    heading = "Filerne kan ikke indlæses"

    def __init__(self, problems: Sequence[P]):
        self.problems: list[P] = list(problems)
        super().__init__(f"{self.heading}:\n" + "\n".join(f"- {p}" for p in self.problems))


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps and with duplicate-key detection."""


StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"nøglen '{key}' står to gange", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlReadError(ValueError):
    """A file that is not valid YAML, with a Danish message naming file and line.

    `detail` is the message without the file name (for callers that name the file themselves).
    """

    def __init__(self, path: Path, detail: str):
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {detail}")


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise YamlReadError(path, f"kan ikke læses ({error})") from error
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f"linje {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise YamlReadError(path, f"{where}ugyldig YAML ({problem})") from error


def parse_date(value: object) -> date:
    """An ISO 8601 date (YYYY-MM-DD). Raises ValueError with a Danish message."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            if len(value.strip()) == 10:
                return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"'{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD")


def parse_moment(value: object) -> date | datetime:
    """An ISO 8601 date, or a datetime that carries its UTC offset."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"tidspunktet '{value}' mangler UTC-forskydning (fx +01:00)")
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return parse_date(text)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"'{value}' er hverken en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm:ss+01:00)"
            ) from None
        if moment.tzinfo is None:
            raise ValueError(f"tidspunktet '{value}' mangler UTC-forskydning (fx +01:00)")
        return moment
    raise ValueError(f"'{value}' er hverken en dato eller et tidspunkt")
