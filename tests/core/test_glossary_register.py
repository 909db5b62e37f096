"""The glossary covers the case register's public identifiers: roles, groups, unit kinds, job
names and outcomes, background tasks, models."""

from __future__ import annotations

from django.apps import apps

from sagstilsyn.core.jobs.registry import jobs_registered
from sagstilsyn.core.models import CaseGroup, JobOutcome, Role, UnitKind
from sagstilsyn.core.queue.services import tasks_registered
from tests.law.glossary import GLOSSARY, glossary_identifiers


def _models() -> set[str]:
    """Every model of Sagstilsyn's own apps (so a new model cannot miss the glossary)."""
    return {m.__name__ for m in apps.get_models() if m.__module__.startswith("sagstilsyn.")}


def test_glossary_names_every_role_group_unit_kind_and_model() -> None:
    found = glossary_identifiers(GLOSSARY.read_text(encoding="utf-8"))
    required = (
        set(Role.values) | set(CaseGroup.values) | set(UnitKind.values) | set(JobOutcome.values) | _models()
    )
    assert {"Case", "Obligation", "RuleVersion", "JobRun"} <= _models()
    required |= {job.name for job in jobs_registered()}
    required |= set(tasks_registered())
    assert "sagstilsyn.cases.import_job_run" in tasks_registered()
    missing = sorted(required - found)
    assert not missing, f"docs/glossary.md mangler: {', '.join(missing)}"
