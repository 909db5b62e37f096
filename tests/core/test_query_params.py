"""Reading query parameters (core/query_params.py): typing mistakes are ignored, values no link makes
(ids beyond 64 bits, weeks that cannot exist, control characters) are a 400 naming the parameter."""

from __future__ import annotations

from datetime import date

import pytest

from sagstilsyn.core.query_params import ID_MAX, BadQuery, query_id, query_text, query_week_monday


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("abc", None), ("-1", None), ("1.5", None), ("²", None), ("٣", None),
     ("7", 7), (" 42 ", 42), ("007", 7), ("0", 0), (str(ID_MAX), ID_MAX), ("0" * 5000 + "1", 1)],
)  # fmt: skip
def test_query_id_reads_an_id_and_ignores_what_is_not_a_number(
    value: str | None, expected: int | None
) -> None:
    assert query_id(value, name="enhed") == expected


@pytest.mark.parametrize("value", ["99999999999999999999999", str(ID_MAX + 1), "9" * 5000])
def test_query_id_refuses_an_id_beyond_64_bits(value: str) -> None:
    with pytest.raises(BadQuery, match="'enhed'") as raised:
        query_id(value, name="enhed")
    assert value not in str(raised.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("rubbish", None), ("W09", None), ("20240303", None),
     ("2024-W09", date(2024, 2, 26)), ("2024-W9", date(2024, 2, 26)), ("2024-03-03", date(2024, 2, 26)),
     ("2020-W53", date(2020, 12, 28)),
     ("1900-W01", date(1900, 1, 1)), ("2199-W52", date(2199, 12, 23))],
)  # fmt: skip
def test_query_week_monday_reads_weeks_and_dates(value: str | None, expected: date | None) -> None:
    assert query_week_monday(value, name="uge") == expected


@pytest.mark.parametrize(
    "value",
    ["0001-W01", "9999-W52", "9999-W53", "2024-W60", "2024-W00", "2024-W53", "0001-01-01", "2024-02-30"],
)
def test_query_week_monday_refuses_weeks_that_cannot_exist_or_lie_far_out(value: str) -> None:
    with pytest.raises(BadQuery, match="'uge'"):
        query_week_monday(value, name="uge")


@pytest.mark.parametrize("value", ["SAG\x00", "\u202eSAG", "1\x0b"])
def test_a_control_character_in_any_parameter_is_refused_without_repeating_it(value: str) -> None:
    for read in (query_id, query_week_monday, query_text):
        with pytest.raises(BadQuery, match="'p'") as raised:
            read(value, name="p")
        assert value not in str(raised.value)
    assert query_text(" SAG-1 ", name="q") == "SAG-1"
