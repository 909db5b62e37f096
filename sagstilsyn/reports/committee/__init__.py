"""Udvalgsrapporten (the committee report, issue 14 §5, ADR 0039): the quarter's compliance figures for
the political committee, aggregates only and suppressed, stored with everything they rest on, rendered as
PDF and XLSX and verified later."""
