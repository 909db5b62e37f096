"""The obligation statuses are defined once in the law core, with their Danish labels."""

from __future__ import annotations

from datetime import date

from sagstilsyn.law import STATUSES, Event, evaluate
from sagstilsyn.law.model import ObligationStatus


def test_every_status_has_a_danish_label_and_the_contract_values() -> None:
    assert [status.value for status in ObligationStatus] == [
        "open",
        "met",
        "met_late",
        "overdue",
        "not_applicable",
    ]
    assert {status: status.label for status in ObligationStatus} == {
        "open": "Åben",
        "met": "Overholdt",
        "met_late": "Overholdt for sent",
        "overdue": "Overskredet",
        "not_applicable": "Ikke relevant",
    }
    assert tuple(status.value for status in ObligationStatus) == STATUSES
    assert ObligationStatus.choices() == [(status.value, status.label) for status in ObligationStatus]


def test_a_status_is_its_value_as_text() -> None:
    assert ObligationStatus("met_late") is ObligationStatus.MET_LATE
    stored: str = "overdue"  # as a database row or a file holds it
    assert stored == ObligationStatus.OVERDUE
    assert f"{ObligationStatus.OVERDUE}" == stored
    by_status: dict[str, int] = {ObligationStatus.OVERDUE: 1}
    assert by_status[stored] == 1
    assert {stored: 1}[ObligationStatus.OVERDUE] == 1


def test_the_engine_hands_out_status_members() -> None:
    obligations = evaluate([Event("need_noticed", date(2024, 1, 10))], as_of=date(2024, 6, 1))
    assert obligations
    assert all(type(obligation.status) is ObligationStatus for obligation in obligations)
