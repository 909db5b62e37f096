"""The `obligations recompute` and `obligations mark-overdue` commands, and argument errors."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import get_commands, load_command_class

from sagstilsyn.cases.management import keyword_command
from sagstilsyn.cases.management.commands import import_
from sagstilsyn.cases.models import Obligation
from sagstilsyn.cli import main
from sagstilsyn.core.models import AuditEvent
from tests.cases.data.helpers import run
from tests.factories import event, make_municipality, make_unit, record

pytestmark = pytest.mark.django_db


def setup_two_municipalities() -> None:
    copenhagen = make_municipality()
    make_unit(copenhagen)
    record(copenhagen, event("e1", "need_noticed", date(2024, 1, 10)))
    record(copenhagen, event("e2", "need_noticed", date(2024, 1, 10), case_id="SAG-2", child_id="BARN-2"))
    frederiksberg = make_municipality("147", "Frederiksberg Kommune")
    make_unit(frederiksberg)
    record(frederiksberg, event("f1", "need_noticed", date(2024, 1, 10)))


def statuses(code: str) -> set[tuple[str, date]]:
    return set(
        Obligation.objects.filter(
            rule_id="investigation_deadline", case__municipality__code=code
        ).values_list("status", "judged_on")
    )


def test_recompute_judges_every_case_on_as_of_with_a_progress_bar() -> None:
    setup_two_municipalities()
    result = run("obligations", "recompute", "--as-of", "2024-05-10")
    assert result.status == 0, result.text
    assert "Genberegnet" in result.out
    assert "3 sager" in result.out
    assert "Københavns Kommune: [##############################] 100% (2/2)" in result.err
    assert statuses("101") == statuses("147") == {("open", date(2024, 5, 10))}
    assert AuditEvent.objects.filter(action="obligations.recompute", target_label="2 sager").exists()


def test_recompute_one_municipality_leaves_the_others_alone() -> None:
    setup_two_municipalities()
    run("obligations", "recompute", "--as-of", "2024-05-10")
    result = run("obligations", "recompute", "--municipality", "147", "--as-of", "2024-05-11")
    assert result.status == 0
    assert "1 sager" in result.out
    assert statuses("147") == {("overdue", date(2024, 5, 11))}
    assert statuses("101") == {("open", date(2024, 5, 10))}


def test_mark_overdue_is_the_daily_job() -> None:
    setup_two_municipalities()
    run("obligations", "recompute", "--as-of", "2024-05-10")
    unchanged = run("obligations", "mark-overdue", "--as-of", "2024-05-10")
    assert unchanged.status == 0
    assert unchanged.out.startswith("0 forpligtelser")
    changed = run("obligations", "mark-overdue", "--as-of", "2024-05-11")
    assert changed.status == 0
    assert int(changed.out.split()[0]) >= 3
    assert statuses("101") == statuses("147") == {("overdue", date(2024, 5, 11))}


@pytest.mark.parametrize(
    "args",
    [
        ("obligations", "export", "--as-of", "10-05-2024"),
        ("obligations", "recompute", "--as-of", "i går"),
        ("obligations", "mark-overdue", "--as-of", "2024-02-30"),
    ],
)
def test_a_bad_date_is_refused_in_danish(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.status == 1
    assert "er ikke en dato på formen ÅÅÅÅ-MM-DD" in result.failure


def test_an_unknown_subcommand_is_refused() -> None:
    assert run("obligations", "delete").status == 1
    assert run("import", "cases", "x.csv").status == 1


def test_import_events_into_an_empty_database_says_what_to_do_first() -> None:
    result = run("import", "events", "tests/cases/data/events.csv")
    assert result.status == 1
    assert "Der er ingen kommuner i databasen" in result.failure
    assert "Intet er indlæst." in result.failure


def test_a_missing_file_is_refused() -> None:
    make_municipality()
    result = run("import", "events", "no-such-file.csv")
    assert result.status == 1
    assert "kan ikke læses" in result.failure


def test_the_import_command_is_found_by_its_name_though_its_module_is_import_(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = get_commands()
    assert commands["import"] == "sagstilsyn.cases"
    assert "import_" not in commands
    assert isinstance(load_command_class("sagstilsyn.cases", "import"), import_.Command)
    with pytest.raises(SystemExit) as help_exit:
        main(["import", "--help"])
    assert help_exit.value.code == 0
    assert "{organisation,staff,events,reviews}" in capsys.readouterr().out
    assert main(["help"]) == 0
    listed = capsys.readouterr().out.split("[cases]")[1].split("\n\n")[0].split()
    assert listed == ["digest", "import", "obligations"]


def test_a_command_module_named_after_a_keyword_gets_the_keyword_only() -> None:
    assert keyword_command("import_") == "import"
    assert keyword_command("class_") == "class"
    assert keyword_command("digest") is None
    assert keyword_command("digest_") is None
    assert keyword_command("import") is None
