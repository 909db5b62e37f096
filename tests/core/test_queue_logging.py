"""The worker logs through Django's handlers, every one of which masks CPR numbers (issue 11, point 4)."""

from __future__ import annotations

import logging

from sagstilsyn.core.logging import CprRedactingFilter
from sagstilsyn.core.queue.app import app

LOGGERS = ("", "celery", "celery.task", "celery.worker", "celery.app.trace")


def _unfiltered(handlers: set[logging.Handler]) -> list[str]:
    return [
        type(handler).__name__
        for handler in handlers
        if not isinstance(handler, logging.NullHandler)
        and not any(isinstance(f, CprRedactingFilter) for f in handler.filters)
    ]


def test_the_workers_logging_set_up_adds_no_handler_without_the_cpr_filter() -> None:
    """What `celery worker` does at start: without our `setup_logging` receiver Celery gives the root
    and `celery.task` loggers stderr handlers of its own, without the filter."""
    loggers = [logging.getLogger(name) for name in LOGGERS]
    before = {logger.name: set(logger.handlers) for logger in loggers}
    try:
        app.log.setup(loglevel=logging.INFO, redirect_stdouts=False)
        added = {logger.name: set(logger.handlers) - before[logger.name] for logger in loggers}
        unfiltered = {name: _unfiltered(handlers) for name, handlers in added.items()}
        assert {name: kinds for name, kinds in unfiltered.items() if kinds} == {}
    finally:
        for logger in loggers:
            for handler in set(logger.handlers) - before[logger.name]:
                logger.removeHandler(handler)
