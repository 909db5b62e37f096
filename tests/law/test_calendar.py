"""The Danish deadline calendar: hverdage, months, clock hours (rules-contract.md, counting conventions)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from sagstilsyn.law.calendar import (
    COPENHAGEN,
    Cutoff,
    add_hours,
    add_months,
    add_working_days,
    deadline_passed,
    end_of_day,
    holiday_name,
    is_working_day,
    local_date,
    today_local,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2023, 5, 5), False),  # store bededag 2023 is still a holiday
        (date(2024, 4, 26), True),  # ... and no longer in 2024
        (date(2024, 6, 5), False),  # Grundlovsdag
        (date(2024, 12, 24), False),
        (date(2024, 12, 31), False),
        (date(2025, 5, 1), True),  # 1 May is a hverdag
        (date(2024, 3, 28), False),  # skærtorsdag
        (date(2024, 5, 9), False),  # Kristi himmelfartsdag
        (date(2024, 5, 20), False),  # 2. pinsedag
        (date(2025, 1, 4), False),  # a Saturday
        (date(2025, 1, 6), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_six_working_days_over_christmas_matches_domain_example() -> None:
    # domain.md §5: receipt Friday 20 Dec 2024 -> Monday 6 Jan 2025
    assert add_working_days(date(2024, 12, 20), 6) == date(2025, 1, 6)


def test_working_days_skip_easter_2024() -> None:
    # Wednesday 27 March 2024; 28 Mar-1 Apr are holidays or weekend
    assert add_working_days(date(2024, 3, 27), 1) == date(2024, 4, 2)


def test_store_bededag_counts_differently_before_and_after_2024() -> None:
    assert add_working_days(date(2023, 5, 4), 1) == date(2023, 5, 8)
    assert add_working_days(date(2024, 4, 25), 1) == date(2024, 4, 26)


def test_zero_working_days_is_the_same_day_and_negative_is_refused() -> None:
    assert add_working_days(date(2024, 1, 6), 0) == date(2024, 1, 6)
    with pytest.raises(ValueError, match="zero or positive"):
        add_working_days(date(2024, 1, 6), -1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 10, 31), 4, date(2025, 2, 28)),
        (date(2023, 10, 31), 4, date(2024, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 11, 15), 3, date(2025, 2, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2023, 12, 31), 12, date(2024, 12, 31)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_hours_are_elapsed_time_across_spring_forward() -> None:
    received = datetime(2025, 3, 29, 12, 0, tzinfo=COPENHAGEN)  # +01:00
    due = add_hours(received, 24)
    assert due == datetime(2025, 3, 30, 11, 0, tzinfo=UTC)
    assert due.utcoffset() == timedelta(hours=2)
    assert (due.hour, due.minute) == (13, 0)


def test_hours_are_elapsed_time_across_fall_back() -> None:
    received = datetime(2024, 10, 26, 12, 0, tzinfo=COPENHAGEN)  # +02:00
    assert add_hours(received, 24).hour == 11


def test_hours_need_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        add_hours(datetime(2024, 1, 1, 12, 0), 24)


def test_local_date_uses_danish_time() -> None:
    late_evening_utc = datetime(2024, 6, 30, 22, 30, tzinfo=UTC)
    assert local_date(late_evening_utc) == date(2024, 7, 1)
    assert local_date(date(2024, 7, 1)) == date(2024, 7, 1)


def test_end_of_day_is_next_midnight_in_copenhagen() -> None:
    assert end_of_day(date(2025, 3, 29)) == datetime(2025, 3, 29, 23, 0, tzinfo=UTC)


def test_holiday_names_are_danish() -> None:
    assert holiday_name(date(2024, 6, 5)) == "Grundlovsdag"
    assert holiday_name(date(2024, 12, 25)) is not None
    assert holiday_name(date(2024, 12, 27)) is None


def cph(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("now", "today"),
    [
        (datetime(2024, 3, 3, 22, 59, 59, tzinfo=UTC), date(2024, 3, 3)),  # 23:59:59 winter time
        (datetime(2024, 3, 3, 23, 0, tzinfo=UTC), date(2024, 3, 4)),  # 00:00 winter time
        (datetime(2024, 7, 1, 21, 59, 59, tzinfo=UTC), date(2024, 7, 1)),  # 23:59:59 summer time
        (datetime(2024, 7, 1, 22, 0, tzinfo=UTC), date(2024, 7, 2)),  # 00:00 summer time
        (cph(2024, 3, 31, 3, 0), date(2024, 3, 31)),  # the spring-forward night
        (datetime(2024, 10, 26, 22, 30, tzinfo=UTC), date(2024, 10, 27)),  # the fall-back night
    ],
)
def test_today_local_is_the_danish_date(now: datetime, today: date) -> None:
    assert today_local(now) == today


def test_today_local_without_now_is_today_in_copenhagen() -> None:
    before = datetime.now(UTC).astimezone(COPENHAGEN).date()
    found = today_local()
    after = datetime.now(UTC).astimezone(COPENHAGEN).date()
    assert found in {before, after}


def test_today_local_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="UTC-forskydning"):
        today_local(datetime(2024, 3, 3, 12, 0))


# A date deadline, 10 May 2024 (summer time), and hour deadlines around midnight and the DST nights.
DUE_DAY = date(2024, 5, 10)
DUE_2359 = cph(2024, 3, 3, 23, 59)
DUE_MIDNIGHT = cph(2024, 3, 4, 0, 0)
#: 02:30 occurs twice on 27 October 2024: first in summer time (+02:00), then in winter time (+01:00).
DUE_FIRST_0230 = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
DUE_SECOND_0230 = datetime(2024, 10, 27, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "as_of", "passed"),
    [
        # A date deadline runs to the end of its day, Danish time.
        (DUE_DAY, date(2024, 5, 10), False),
        (DUE_DAY, date(2024, 5, 11), True),
        (DUE_DAY, cph(2024, 5, 10, 23, 59, 59), False),
        (DUE_DAY, cph(2024, 5, 11, 0, 0), True),
        (DUE_DAY, datetime(2024, 5, 10, 22, 0, tzinfo=UTC), True),  # 00:00 on 11 May in Denmark
        (DUE_DAY, datetime(2024, 5, 10, 23, 30, tzinfo=UTC), True),  # still 10 May in UTC
        # An hour deadline runs to its exact instant.
        (DUE_2359, cph(2024, 3, 3, 23, 59), False),
        (DUE_2359, cph(2024, 3, 3, 23, 59, 30), True),
        (DUE_2359, date(2024, 3, 3), True),  # a date means the end of that day
        (DUE_2359, date(2024, 3, 2), False),
        (DUE_MIDNIGHT, date(2024, 3, 3), False),  # the end of 3 March is 00:00 on 4 March
        (DUE_MIDNIGHT, cph(2024, 3, 4, 0, 0, 1), True),
        (DUE_MIDNIGHT, date(2024, 3, 4), True),
        # The fall-back night: the same wall-clock time twice, an hour apart.
        (DUE_FIRST_0230, datetime(2024, 10, 27, 0, 45, tzinfo=UTC), True),
        (DUE_SECOND_0230, datetime(2024, 10, 27, 0, 45, tzinfo=UTC), False),
        (DUE_SECOND_0230, datetime(2024, 10, 27, 1, 30, 1, tzinfo=UTC), True),
        # The spring-forward night: 02:00 winter time is 03:00 summer time.
        (cph(2024, 3, 31, 1, 59), datetime(2024, 3, 31, 1, 0, tzinfo=UTC), True),  # 03:00 summer time
        (cph(2024, 3, 31, 3, 0), datetime(2024, 3, 31, 1, 0, tzinfo=UTC), False),
    ],
)
def test_deadline_passed(due: date | datetime, as_of: date | datetime, passed: bool) -> None:
    assert deadline_passed(due, as_of) is passed
    assert deadline_passed(due, Cutoff.at(as_of)) is passed


def test_a_cutoff_is_the_danish_day_and_the_instant() -> None:
    moment = datetime(2024, 5, 10, 22, 30, tzinfo=UTC)
    assert Cutoff.at(moment) == Cutoff(date(2024, 5, 11), moment)
    assert Cutoff.at(date(2024, 5, 10)) == Cutoff(date(2024, 5, 10), end_of_day(date(2024, 5, 10)))
    with pytest.raises(ValueError, match="UTC-forskydning"):
        Cutoff.at(datetime(2024, 5, 10, 12, 0))
