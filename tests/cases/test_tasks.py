"""The cases app's background tasks (ADR 0015): the recompute task and `obligations recompute --queue`."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.models import Obligation
from sagstilsyn.cases.tasks import obligations_recompute_task
from sagstilsyn.core.queue.app import app
from sagstilsyn.core.queue.services import tasks_registered
from tests.factories import event, make_municipality, make_unit, record

pytestmark = pytest.mark.django_db


def test_the_worker_knows_the_cases_tasks() -> None:
    assert {"sagstilsyn.cases.import_job_run", "sagstilsyn.cases.obligations_recompute"} <= set(
        tasks_registered()
    )


def test_the_recompute_task_restores_one_municipalitys_obligations() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("n1", "need_noticed", date(2024, 3, 1)))
    stored = sorted(Obligation.objects.values_list("rule_id", "status"))
    assert stored
    Obligation.objects.all().delete()
    assert obligations_recompute_task.run(municipality_code="101", as_of="2024-12-31") == len(stored)
    assert Obligation.objects.count() == len(stored)
    assert obligations_recompute_task.run(municipality_code="101") == len(stored)


def test_the_recompute_task_of_a_municipality_without_cases_does_nothing() -> None:
    make_municipality("350", "Lejre Kommune")
    assert obligations_recompute_task.run(municipality_code="350") == 0


def test_recompute_with_queue_sends_one_task_per_municipality(
    settings: SettingsWrapper, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.QUEUE_BROKER_URL = "memory://"
    settings.QUEUE_NAME = "sagstilsyn-test-recompute"
    make_municipality()
    make_municipality("350", "Lejre Kommune")
    call_command("obligations", "recompute", "--queue", "--as-of", "2024-12-31")
    assert "Genberegningen er sendt til køen (Københavns Kommune, Lejre Kommune)." in capsys.readouterr().out
    sent = []
    with app.connection_for_write("memory://") as connection:
        queue = connection.SimpleQueue("sagstilsyn-test-recompute")
        for _ in range(2):
            message = queue.get(timeout=5)
            sent.append((message.headers["task"], message.decode()[1]))
            message.ack()
    assert sent == [
        ("sagstilsyn.cases.obligations_recompute", {"municipality_code": "101", "as_of": "2024-12-31"}),
        ("sagstilsyn.cases.obligations_recompute", {"municipality_code": "350", "as_of": "2024-12-31"}),
    ]


def test_recompute_with_queue_but_no_broker_runs_here(
    settings: SettingsWrapper, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.QUEUE_BROKER_URL = ""
    municipality = make_municipality()
    make_unit(municipality)
    record(municipality, event("n1", "need_noticed", date(2024, 3, 1)))
    call_command("obligations", "recompute", "--queue")
    assert "Genberegnet" in capsys.readouterr().out
