"""A date typed the Danish way, one reader for every form."""

from __future__ import annotations

from datetime import date

import pytest

from sagstilsyn.core.danish_dates import danish_date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15.12.2026", date(2026, 12, 15)),
        (" 1.2.2027 ", date(2027, 2, 1)),
        ("29.02.2028", date(2028, 2, 29)),
        ("2026-12-15", date(2026, 12, 15)),
    ],
)
def test_a_danish_or_iso_date_is_read(typed: str, expected: date) -> None:
    assert danish_date(typed) == expected


@pytest.mark.parametrize("typed", ["31.02.2027", "29.02.2027", "i morgen", "12/15/2026", "15.12.26", ""])
def test_what_is_no_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the callers word the Danish message
        danish_date(typed)
