"""The pure helpers of bench/load.py: loopback and time bounds, the server settings, the table of results,
and the mix of simulated users. The load itself is never run in a test (no timed tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import (
    DEFAULT_USERS,
    MAX_MINUTES,
    MIX,
    UNIT_ROLES,
    PageStat,
    _unit_codes,
    format_table,
    parse_args,
    read_stats,
    require_loopback,
    require_minutes,
    server_env,
    totp,
)

STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
    "99.99%,100%"
)
STATS_ROWS = (
    "GET,sagsside,40,1,83,120.5,42.1,756.9,4000,0.5,0.01,83,91,110,110,120,730,760,760,760,760,760",
    "GET,forside,22,0,59,137.1,10.5,1355.6,4168,0.37,0.0,59,66,80,86,93,610,1400,1400,1400,1400,1400",
    ",Aggregated,62,1,70,125.0,10.5,1355.6,4050,0.87,0.01,70,80,90,100,110,700,1400,1400,1400,1400,1400",
)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert require_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "192.168.1.20", "::", "example.com", ""])  # noqa: S104
def test_other_hosts_are_refused(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        require_loopback(host)


@pytest.mark.parametrize("minutes", [0.5, 10, MAX_MINUTES])
def test_minutes_within_the_bound_are_accepted(minutes: float) -> None:
    assert require_minutes(minutes) == minutes


@pytest.mark.parametrize("minutes", [0, -1, MAX_MINUTES + 0.1, 600])
def test_minutes_outside_the_bound_are_refused(minutes: float) -> None:
    with pytest.raises(ValueError, match="højst 60"):
        require_minutes(minutes)


@pytest.mark.parametrize(
    "argv",
    [
        ["--host", "10.0.0.1"],
        ["--server", "postgres://postgres@db.example.com:5432"],
        ["--minutes", "61"],
        ["--users", "0"],
        ["--users", "201"],
        ["--server-env", "NO_EQUALS_SIGN"],
    ],
)
def test_the_command_line_refuses_what_is_out_of_bounds(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(argv)


def test_the_defaults_are_loopback_and_ten_minutes() -> None:
    args = parse_args([])
    assert (args.host, args.minutes, args.users) == ("127.0.0.1", 10, DEFAULT_USERS)


def test_server_env_reads_pairs_and_keeps_equals_signs_in_values() -> None:
    assert server_env(["A=1", "B=x=y", "C="]) == {"A": "1", "B": "x=y", "C": ""}


@pytest.mark.parametrize("pair", ["A", "=1", " =1"])
def test_server_env_refuses_a_pair_without_a_name(pair: str) -> None:
    with pytest.raises(ValueError, match="NAVN=VÆRDI"):
        server_env([pair])


def _stats(tmp_path: Path) -> Path:
    path = tmp_path / "run_stats.csv"
    path.write_text("\n".join([STATS_HEADER, *STATS_ROWS]) + "\n", encoding="utf-8")
    return path


def test_read_stats_gives_each_page_sorted_and_the_total_apart(tmp_path: Path) -> None:
    pages, total = read_stats(_stats(tmp_path))
    assert [p.page for p in pages] == ["GET forside", "GET sagsside"]
    assert pages[1] == PageStat("GET sagsside", requests=40, errors=1, p50=83, p95=730, max=756.9)
    assert total == PageStat("all pages", requests=62, errors=1, p50=70, p95=700, max=1355.6)


def test_format_table_lists_pages_then_the_total(tmp_path: Path) -> None:
    lines = format_table(*read_stats(_stats(tmp_path))).splitlines()
    assert lines[0].split() == ["page", "requests", "errors", "p50", "ms", "p95", "ms", "max", "ms"]
    assert lines[2].split() == ["GET", "forside", "22", "0", "59", "610", "1,356"]
    assert lines[-1].split() == ["all", "pages", "62", "1", "70", "700", "1,356"]


def test_the_mix_is_fifty_users_with_distinct_log_ins() -> None:
    accounts = [a for m in MIX for a in m.accounts]
    assert sum(m.weight for m in MIX) == DEFAULT_USERS
    assert len(accounts) == len(set(accounts))


def test_every_unit_role_log_in_names_its_unit() -> None:
    codes = [*_unit_codes(9), "doegnvagten"]
    unit_accounts = [a for m in MIX if m.role in UNIT_ROLES for a in m.accounts]
    assert [
        a for a in unit_accounts if not any(a.startswith(f"{c}-") or a.endswith(f"-{c}") for c in codes)
    ] == []


RFC_6238_KEY = b"12345678901234567890".hex()


@pytest.mark.parametrize(
    ("at", "digits", "code"),
    [(59, 8, "94287082"), (1111111109, 8, "07081804"), (1234567890, 8, "89005924"), (59, 6, "287082")],
)
def test_totp_gives_the_codes_of_rfc_6238(at: float, digits: int, code: str) -> None:
    assert totp(RFC_6238_KEY, at, digits=digits) == code


def test_totp_keeps_its_code_for_the_whole_step() -> None:
    assert totp(RFC_6238_KEY, 60) == totp(RFC_6238_KEY, 89.9) != totp(RFC_6238_KEY, 90)
