"""One CPR detector (issue 11, point 4): refusal in ids and notes, and redaction in every log handler."""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest

from sagstilsyn.cases.checklist.services import ChecklistError, checklist_mark_set
from sagstilsyn.cases.services.event_inputs import events_validate
from sagstilsyn.core.cpr import CprError, contains_cpr, cpr_birth_date, cpr_normalize, cpr_spans, redact
from sagstilsyn.core.logging import CprRedactingFilter
from tests.factories import event, make_case, make_municipality, make_unit
from tests.logtap import LOG_TAP, configured_handlers, cpr_failure, output_leaks


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SAG-090917-9679", True),  # inside an id
        ("0101181234", True),
        ("se notat: barnet (010118-1234) er flyttet", True),
        ("290200-4234", True),  # 29 February 2000 (seventh digit 4: the 2000s)
        ("290200-1234", False),  # no 29 February 1900 (seventh digit 1: the 1900s)
        ("290201-4234", False),  # no 29 February 2001
        ("310499-1234", False),  # no 31 April
        ("SAG-123456-7890", False),  # month 34: no date
        ("12345678901", False),  # eleven digits: a longer number
        ("BARN-0042", False),
        ("", False),
    ],
)
def test_a_cpr_number_is_a_valid_date_and_four_digits_anywhere_in_a_text(text: str, found: bool) -> None:
    assert contains_cpr(text) is found
    assert (redact(text) != text) is found


#: (ten digits, the birth date or None): the century comes from the seventh digit.
BIRTH_DATES = [
    ("2902004234", date(2000, 2, 29)),
    ("2902009234", date(2000, 2, 29)),
    ("2902005234", date(2000, 2, 29)),
    ("2902001234", None),  # 1900 was no leap year
    ("2902960234", date(1996, 2, 29)),
    ("0101373234", date(1937, 1, 1)),
    ("0101364234", date(2036, 1, 1)),
    ("0101374234", date(1937, 1, 1)),
    ("0101579234", date(1957, 1, 1)),  # 4 and 9: the 2000s only up to year 36
    ("0101575234", date(2057, 1, 1)),
    ("0101588234", date(1858, 1, 1)),  # 5 to 8: the 1800s from year 58
    ("3104991234", None),
    ("3112991234", date(1999, 12, 31)),
    ("0013181234", None),
    ("0001181234", None),
    ("3201181234", None),
]


@pytest.mark.parametrize(("digits", "born"), BIRTH_DATES)
def test_a_cpr_date_is_a_real_day_in_the_century_of_the_seventh_digit(digits: str, born: date | None) -> None:
    assert cpr_birth_date(digits) == born


@pytest.mark.parametrize(("digits", "born"), BIRTH_DATES)
def test_normalising_and_detecting_agree_on_what_a_cpr_date_is(digits: str, born: date | None) -> None:
    """One definition: a number the detector finds is one `cpr_normalize` accepts, and the other way."""
    assert contains_cpr(f"x {digits[:6]}-{digits[6:]} x") is (born is not None)
    if born is None:
        with pytest.raises(CprError, match="dato er ugyldig"):
            cpr_normalize(digits)
    else:
        assert cpr_normalize(digits) == digits


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


def test_every_log_handler_redacts_cpr_numbers_djangos_own_included() -> None:
    handlers = configured_handlers()
    assert handlers
    assert all(any(isinstance(f, CprRedactingFilter) for f in h.filters) for h in handlers), handlers
    for name in ("django.server", "django.request", "django"):
        logger = logging.getLogger(name)
        assert logger.propagate or _ours(logger.handlers)  # no silent logger without our handler
        assert all(any(isinstance(f, CprRedactingFilter) for f in h.filters) for h in _ours(logger.handlers))


#: What the grep is shown: a request line on runserver's logger, Django's 404 line, our own logger's line.
LOGGED = [
    ("django.server", '"GET /sager/?q=%s HTTP/1.1" 200 1234', ("0909179679",)),
    ("django.request", "Not Found: /sager/%s/", ("090917-9679",)),
    ("sagstilsyn.cases.importing.jobs", "Indlæsning af SAG-%s fejlede", ("090917-9679",)),
]


@pytest.mark.parametrize(("name", "message", "args"), LOGGED)
def test_the_log_grep_reads_what_the_real_handlers_write_redacted(
    name: str, message: str, args: tuple[str, ...]
) -> None:
    start = LOG_TAP.mark()
    logging.getLogger(name).warning(message, *args)
    lines = [line for line in LOG_TAP.since(start) if line.logger == name]
    assert lines, "the tap on the configured handlers saw nothing"
    assert "090917-XXXX" in lines[0].text
    assert not any(line.has_cpr() for line in lines)


@pytest.mark.parametrize(("name", "message", "args"), LOGGED)
def test_the_log_grep_finds_a_cpr_number_when_the_redaction_is_gone(
    monkeypatch: pytest.MonkeyPatch, name: str, message: str, args: tuple[str, ...]
) -> None:
    """The grep can fail: with the CPR filter taken out of every handler, the line Django's own
    handler writes holds the CPR number, and the grep finds it and names the logger. (The handlers'
    streams point at a buffer meanwhile, so the leak stays in this test.)"""
    written = io.StringIO()
    for handler in configured_handlers():
        monkeypatch.setattr(
            handler, "filters", [f for f in handler.filters if not isinstance(f, CprRedactingFilter)]
        )
        if isinstance(handler, logging.StreamHandler):
            monkeypatch.setattr(handler, "stream", written)
    with LOG_TAP.leak_expected() as caught:
        logging.getLogger(name).warning(message, *args)
    assert cpr_spans(written.getvalue())  # the real handler wrote the CPR number ...
    leaks = [line for line in caught if line.has_cpr()]  # ... and the grep found it
    assert leaks
    assert leaks[0].logger == name
    failure = cpr_failure(leaks, "i testen")
    assert name in failure
    assert "090917-XXXX" in failure
    assert "9679" not in failure.replace("SAG-", "")  # the failure shows the line redacted


def test_a_handler_configured_later_is_grepped_too() -> None:
    """A handler added after start-up (a new logger in the settings) is tapped before the next test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("sagstilsyn.test.later")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        LOG_TAP.attach()
        with LOG_TAP.leak_expected() as caught:
            logger.warning("barn %s", "0909179679")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert "0909179679" in stream.getvalue()  # this handler has no CPR filter: it leaks ...
    assert [line.logger for line in caught if line.has_cpr()] == ["sagstilsyn.test.later"]  # ... and is found


def test_the_output_grep_finds_a_cpr_number_printed_and_shows_it_redacted() -> None:
    """What a test (or a live server's thread) wrote to stdout and stderr is grepped the same way."""
    leaks = output_leaks({"stdout": "ok\nbarn 0909179679\n", "stderr": "Traceback ... SAG-090917-9679"})
    assert leaks == ["  stdout: barn 090917-XXXX", "  stderr: Traceback ... SAG-090917-XXXX"]
    assert not output_leaks({"stdout": "barn 090917-XXXX", "stderr": "12345678901"})
