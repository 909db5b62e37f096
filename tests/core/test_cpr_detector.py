"""One CPR detector (issue 11, point 4): refusal in ids and notes, and redaction in every log handler."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from sagstilsyn.cases.checklist.services import ChecklistError, checklist_mark_set
from sagstilsyn.cases.services.event_inputs import events_validate
from sagstilsyn.core.cpr import contains_cpr, redact
from sagstilsyn.core.logging import CprRedactingFilter
from tests.factories import event, make_case, make_municipality, make_unit


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SAG-090917-9679", True),  # inside an id
        ("0101181234", True),
        ("se notat: barnet (010118-1234) er flyttet", True),
        ("290200-1234", True),  # 29 February 2000
        ("290201-1234", False),  # no 29 February 1901 or 2001
        ("SAG-123456-7890", False),  # month 34: no date
        ("12345678901", False),  # eleven digits: a longer number
        ("BARN-0042", False),
        ("", False),
    ],
)
def test_a_cpr_number_is_a_valid_date_and_four_digits_anywhere_in_a_text(text: str, found: bool) -> None:
    assert contains_cpr(text) is found
    assert (redact(text) != text) is found


def test_redaction_keeps_the_birth_date_and_hides_the_serial_number() -> None:
    assert redact("SAG-090917-9679 og 0101181234") == "SAG-090917-XXXX og 010118-XXXX"


@pytest.mark.django_db
def test_an_id_holding_a_cpr_number_is_refused_in_danish() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    errors = events_validate(
        municipality=municipality,
        inputs=[
            event("e1", "need_noticed", date(2024, 3, 1), case_id="SAG-090917-9679", row=2),
            event("HÆ-0101181234", "need_noticed", date(2024, 3, 1), row=3),
        ],
    )
    assert {(e.row, e.column) for e in errors} == {(2, "case_id"), (3, "event_id")}
    assert all("indeholder et CPR-nummer" in e.message and e.value == "" for e in errors)


@pytest.mark.django_db
def test_a_checklist_note_holding_a_cpr_number_is_refused() -> None:
    municipality = make_municipality()
    make_unit(municipality)
    case = make_case(municipality, placement=True)
    with pytest.raises(ChecklistError, match="må ikke indeholde et CPR-nummer"):
        checklist_mark_set(
            case=case, item_id="child_views", checked=True, note="Samtale med 010118-1234", actor=None
        )


def _ours(handlers: list[logging.Handler]) -> list[logging.Handler]:
    """The handlers the settings configure (pytest adds capturing handlers of its own)."""
    return [h for h in handlers if not type(h).__module__.startswith("_pytest")]


def _handlers() -> list[logging.Handler]:
    """Every handler on the root logger and on every named logger, except pytest's own and those that
    write nothing."""
    loggers = [
        logging.getLogger(),
        *(
            logger
            for logger in logging.Logger.manager.loggerDict.values()
            if isinstance(logger, logging.Logger)
        ),
    ]
    found = {
        h
        for logger in loggers
        for h in logger.handlers
        # A NullHandler writes nothing (Celery and kombu give their loggers one; ADR 0015).
        if not type(h).__module__.startswith("_pytest") and type(h) is not logging.NullHandler
    }
    return sorted(found, key=repr)


def test_every_log_handler_redacts_cpr_numbers_djangos_own_included() -> None:
    handlers = _handlers()
    assert handlers
    assert all(any(isinstance(f, CprRedactingFilter) for f in h.filters) for h in handlers), handlers
    for name in ("django.server", "django.request", "django"):
        logger = logging.getLogger(name)
        assert logger.propagate or _ours(logger.handlers)  # no silent logger without our handler
        assert all(any(isinstance(f, CprRedactingFilter) for f in h.filters) for h in _ours(logger.handlers))
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"GET /sager/?q=%s HTTP/1.1" 200', ("0101181234",), None
    )
    for handler in handlers:
        handler.filter(record)
    assert "0101181234" not in record.getMessage()
    assert "010118-XXXX" in record.getMessage()
