"""The log grep of issue 11 point 4: every line the configured log handlers write, kept and searched
for CPR numbers with the one detector (`sagstilsyn.core.cpr.cpr_spans`).

`LOG_TAP` puts a tap last on every log handler the settings (and Django) configured: on the root logger
and on every named logger, Django's own `django` and `django.server` included. The tap is a logging
filter, so it sees a record after the handler's own filters (the CPR filter among them) have run, and
keeps exactly the line the handler then writes (`handler.format(record)`). Whatever a handler would
write unredacted, the tap keeps unredacted, and the grep finds it. pytest's own capturing handlers are
left alone: they are not the application's logs.

tests/conftest.py greps each test's lines when the test ends, the lines written between tests at the
end of the session, and what a test wrote to stdout and stderr (a live server's thread included).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sagstilsyn.core.cpr import cpr_spans, redact


@dataclass(frozen=True)
class LogLine:
    """One line a handler wrote: the logger it came from, the handler, the text."""

    logger: str
    handler: str
    text: str

    def has_cpr(self) -> bool:
        return bool(cpr_spans(self.text))

    def __str__(self) -> str:
        """The line as a failure names it: logger, handler and the text, redacted."""
        return f"{self.logger} via {self.handler}: {redact(self.text)}"


def _is_pytests(handler: logging.Handler) -> bool:
    return type(handler).__module__.startswith("_pytest")


def configured_handlers() -> list[logging.Handler]:
    """Every handler on the root logger and on every named logger, except pytest's own and the
    NullHandlers of libraries (which write nothing)."""
    loggers = [
        logging.getLogger(),
        *(
            logger
            for logger in logging.Logger.manager.loggerDict.values()
            if isinstance(logger, logging.Logger)
        ),
    ]
    found = {
        handler
        for logger in loggers
        for handler in logger.handlers
        if not _is_pytests(handler) and not isinstance(handler, logging.NullHandler)
    }
    return sorted(found, key=repr)


class _Tap(logging.Filter):
    """Last among a handler's filters: keeps the line the handler is about to write."""

    def __init__(self, tap: LogTap, handler: logging.Handler):
        super().__init__()
        self.tap = tap
        self.handler = handler

    def filter(self, record: logging.LogRecord) -> bool:
        self.tap.keep(LogLine(record.name, type(self.handler).__name__, self.handler.format(record)))
        return True


class LogTap:
    """The lines every configured handler wrote, in order; `check()` hands out those not yet checked."""

    def __init__(self) -> None:
        self.lines: list[LogLine] = []
        self._checked = 0
        self._lock = threading.Lock()
        self._diverted: list[LogLine] | None = None

    def attach(self) -> None:
        """Tap every configured handler not tapped yet (handlers configured later are found on the next
        call: conftest calls it before every test)."""
        for handler in configured_handlers():
            if not any(isinstance(f, _Tap) and f.tap is self for f in handler.filters):
                handler.addFilter(_Tap(self, handler))

    def keep(self, line: LogLine) -> None:
        with self._lock:
            (self.lines if self._diverted is None else self._diverted).append(line)

    def check(self) -> list[LogLine]:
        """The lines holding a CPR number among those written since the last check."""
        with self._lock:
            fresh = self.lines[self._checked :]
            self._checked = len(self.lines)
        return [line for line in fresh if line.has_cpr()]

    def since(self, start: int) -> list[LogLine]:
        with self._lock:
            return self.lines[start:]

    def mark(self) -> int:
        with self._lock:
            return len(self.lines)

    @contextmanager
    def leak_expected(self) -> Iterator[list[LogLine]]:
        """For a test that breaks the redaction on purpose: the lines written meanwhile are handed to it
        instead of the run's log, so the run's grep does not count them."""
        caught: list[LogLine] = []
        with self._lock:
            self._diverted = caught
        try:
            yield caught
        finally:
            with self._lock:
                self._diverted = None


@contextmanager
def logging_config_kept() -> Iterator[None]:
    """Put the configured handlers back after a test that configured logging anew (a test running the
    `sagstilsyn` command sets Django up again, whose handlers write to that test's captured stderr,
    closed once the test ends). pytest's own handlers are left as they are."""
    loggers = [
        logging.getLogger(),
        *(lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)),
    ]
    kept = {
        id(lg): (lg, [h for h in lg.handlers if not _is_pytests(h)], lg.level, lg.propagate, lg.disabled)
        for lg in loggers
    }
    yield
    for logger, handlers, level, propagate, disabled in kept.values():
        ours = [h for h in logger.handlers if not _is_pytests(h)]
        if ours != handlers:
            logger.handlers = [*handlers, *(h for h in logger.handlers if _is_pytests(h))]
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled


def output_leaks(streams: dict[str, str]) -> list[str]:
    """The lines of a test's captured output (by stream name) that hold a CPR number, redacted."""
    return [
        f"  {name}: {redact(line)}"
        for name, text in streams.items()
        for line in text.splitlines()
        if cpr_spans(line)
    ]


def cpr_failure(lines: list[LogLine], where: str) -> str:
    """The failure's text: how many lines held a CPR number, and each of them, redacted."""
    shown = "\n".join(f"  {line}" for line in lines[:20])
    return f"{len(lines)} loglinje(r) {where} indeholder et CPR-nummer (vist maskeret):\n{shown}"


LOG_TAP = LogTap()
