"""A logging filter that masks anything shaped like a CPR number before a record is written."""

from __future__ import annotations

import logging

from sagstilsyn.core.cpr import redact


class CprRedactingFilter(logging.Filter):
    """Rewrites the message (and its arguments) so no CPR number reaches a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
