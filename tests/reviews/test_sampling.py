"""The published draw (supervision-contract.md §2): small examples worked out in the test with
hashlib, properties on random frames, and edge cases. Pure pytest, no Django."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sagstilsyn.reviews.sampling import (
    FrameCase,
    Sample,
    SamplingError,
    allocate,
    apply_exclusions,
    case_key,
    frame_hash,
    new_seed,
    pps,
    srs,
    stratified,
    systematic,
)

SEED = "0123456789abcdef0123456789abcdef"


def u(seed: str, text: str) -> float:
    """The contract's key, written out again here."""
    return int(hashlib.sha256((seed + ":" + text).encode("utf-8")).hexdigest()[:16], 16) / 2**64


def frame_of(ids: list[str], stratum: str = "") -> list[FrameCase]:
    return [FrameCase(case_id, stratum) for case_id in ids]


IDS = [f"S-{i:03d}" for i in range(1, 13)]

Draw = Callable[[Sequence[FrameCase], int, str], Sample]
DRAWS: dict[str, Draw] = {"srs": srs, "stratified": stratified, "pps": pps, "systematic": systematic}


# --- keys ---------------------------------------------------------------------


def test_case_key_is_the_contracts_formula() -> None:
    digest = hashlib.sha256(b"abc:S-001").hexdigest()
    assert case_key("abc", "S-001") == int(digest[:16], 16) / 2**64
    assert 0 <= case_key("abc", "S-001") < 1
    assert case_key("abc", "S-001") != case_key("abd", "S-001")


def test_frame_hash_sorts_by_code_point_and_joins_by_newline() -> None:
    expected = hashlib.sha256("B\na\næ".encode()).hexdigest()
    assert frame_hash(["æ", "a", "B"]) == expected
    assert frame_hash([]) == hashlib.sha256(b"").hexdigest()


def test_new_seed_is_32_hex_digits_and_new_each_time() -> None:
    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(re.fullmatch(r"[0-9a-f]{32}", seed) for seed in seeds)


# --- hand-worked examples -----------------------------------------------------


def test_srs_takes_the_smallest_keys() -> None:
    expected = sorted(IDS, key=lambda i: u(SEED, i))[:4]
    sample = srs(frame_of(IDS), 4, SEED)
    assert sample.case_ids() == sorted(expected, key=lambda i: u(SEED, i))
    assert [row.weight for row in sample.rows] == [3.0] * 4
    assert [row.inclusion_probability for row in sample.rows] == [1 / 3] * 4
    assert (sample.design, sample.seed, sample.frame_size) == ("srs", SEED, 12)
    assert sample.frame_hash == hashlib.sha256("\n".join(IDS).encode()).hexdigest()


def test_stratified_proportional_allocation_by_hand() -> None:
    # 7 + 3 + 2 cases, n = 5: 35/12 = 2.92, 15/12 = 1.25, 10/12 = 0.83 -> floors 2, 1, 0;
    # two places left go to the remainders 11 (a) and 10 (c).
    frame = frame_of(IDS[:7], "a") + frame_of(IDS[7:10], "b") + frame_of(IDS[10:], "c")
    assert allocate({"a": 7, "b": 3, "c": 2}, 5) == {"a": 3, "b": 1, "c": 1}
    sample = stratified(frame, 5, SEED)
    for name, ids, n_h in (("a", IDS[:7], 3), ("b", IDS[7:10], 1), ("c", IDS[10:], 1)):
        rows = [row for row in sample.rows if row.stratum == name]
        assert [row.case_id for row in rows] == sorted(ids, key=lambda i: u(SEED, i))[:n_h]
        assert all(row.weight == len(ids) / n_h for row in rows)


def test_allocation_ties_go_by_stratum_name() -> None:
    # 1 place, three strata of 1 case: every remainder equal, the first name wins.
    assert allocate({"c": 1, "b": 1, "a": 1}, 1) == {"a": 1, "b": 0, "c": 0}
    assert allocate({"x": 2, "y": 2}, 3) == {"x": 2, "y": 1}


def test_stratified_fixed_sizes_and_a_small_stratum_gives_all() -> None:
    frame = frame_of(IDS[:10], "stor") + frame_of(IDS[10:], "lille")
    sample = stratified(frame, {"stor": 3, "lille": 5, "tom": 2}, SEED)
    assert sorted(sample.case_ids()[:2]) == IDS[10:]
    lille = [row for row in sample.rows if row.stratum == "lille"]
    assert [row.weight for row in lille] == [1.0, 1.0]
    assert sample.case_ids()[2:] == sorted(IDS[:10], key=lambda i: u(SEED, i))[:3]


def test_pps_by_hand_with_a_certainty_case() -> None:
    weights = {"A": 10.0, "B": 1.0, "C": 1.0, "D": 2.0, "E": 1.0, "F": 1.0}
    frame = [FrameCase(i, "", w) for i, w in weights.items()]
    # n = 3, Σw = 16: λ_A = 30/16 ≥ 1 -> certain; 2 places over Σw = 6: λ = 2w/6.
    lam = {i: 2 * w / 6 for i, w in weights.items() if i != "A"}
    q = {i: (u(SEED, i) / (1 - u(SEED, i))) / (p / (1 - p)) for i, p in lam.items()}
    expected = {"A", *sorted(q, key=lambda i: (q[i], i))[:2]}
    sample = pps(frame, 3, SEED)
    assert set(sample.case_ids()) == expected
    by_id = {row.case_id: row for row in sample.rows}
    assert by_id["A"].inclusion_probability == 1.0
    assert by_id["A"].weight == 1.0
    for case_id in expected - {"A"}:
        assert by_id[case_id].inclusion_probability == pytest.approx(lam[case_id])
        assert by_id[case_id].weight == pytest.approx(1 / lam[case_id])


def test_pps_certainty_is_recomputed_iteratively() -> None:
    # n = 3, Σw = 115: λ_A = 300/115 ≥ 1; then 2 places over Σw = 15: λ_B = 20/15 ≥ 1; then 1 over 5.
    frame = [FrameCase("A", "", 100), FrameCase("B", "", 10)] + [FrameCase(f"c{i}", "", 1) for i in range(5)]
    sample = pps(frame, 3, SEED)
    by_id = {row.case_id: row for row in sample.rows}
    assert by_id["A"].inclusion_probability == by_id["B"].inclusion_probability == 1.0
    others = [row for row in sample.rows if row.case_id not in {"A", "B"}]
    assert len(others) == 1
    assert others[0].inclusion_probability == pytest.approx(1 / 5)


def test_systematic_by_hand() -> None:
    k = 12 / 5
    s = u(SEED, "start") * k
    expected = [IDS[math.floor(s + j * k)] for j in range(5)]
    sample = systematic(frame_of(list(reversed(IDS))), 5, SEED)
    assert set(sample.case_ids()) == set(expected)
    assert all(row.weight == 12 / 5 for row in sample.rows)


# --- edge cases ---------------------------------------------------------------


@pytest.mark.parametrize("draw", DRAWS.values(), ids=DRAWS.keys())
def test_a_frame_smaller_than_n_gives_every_case(draw: Draw) -> None:
    sample: Sample = draw(frame_of(IDS[:3]), 5, SEED)
    assert sorted(sample.case_ids()) == IDS[:3]
    assert all(row.inclusion_probability == 1.0 and row.weight == 1.0 for row in sample.rows)


@pytest.mark.parametrize("draw", DRAWS.values(), ids=DRAWS.keys())
def test_empty_frame_and_zero_n_give_nothing(draw: Draw) -> None:
    assert draw([], 3, SEED).rows == ()
    assert draw(frame_of(IDS), 0, SEED).rows == ()


def test_ties_in_key_go_by_case_id(monkeypatch: pytest.MonkeyPatch) -> None:
    # Equal keys cannot be found by search; the key function is replaced by a constant to force them.
    monkeypatch.setattr("sagstilsyn.reviews.sampling.designs.case_key", lambda seed, case_id: 0.5)
    frame = frame_of(["d", "b", "a", "c"])
    assert srs(frame, 2, SEED).case_ids() == ["a", "b"]
    assert pps(frame, 2, SEED).case_ids() == ["a", "b"]  # equal weights and keys: equal Q
    strata = frame_of(["d", "b"], "x") + frame_of(["c", "a"], "y")
    assert stratified(strata, 2, SEED).case_ids() == ["b", "a"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("abcde"), min_size=0, max_size=40), st.integers(0, 50))
def test_stratum_sizes_follow_the_allocation(strata: list[str], n: int) -> None:
    frame = [FrameCase(f"S-{i}", name) for i, name in enumerate(strata)]
    sizes = {name: strata.count(name) for name in set(strata)}
    sample = stratified(frame, n, SEED)
    drawn = {name: sum(row.stratum == name for row in sample.rows) for name in sizes}
    assert drawn == allocate(sizes, n)
    assert sum(drawn.values()) == min(n, len(frame))


def test_bad_frames_are_refused_in_danish() -> None:
    with pytest.raises(SamplingError, match="står mere end én gang"):
        srs(frame_of(["a", "a"]), 1, SEED)
    with pytest.raises(SamplingError, match=re.escape("risk_weight 0.0 for case_id 'a' skal være et tal")):
        pps([FrameCase("a", "", 0.0)], 1, SEED)
    with pytest.raises(SamplingError, match="negativ"):
        srs(frame_of(["a"]), -1, SEED)


# --- exclusions and replacements ----------------------------------------------


def test_an_excluded_case_is_replaced_by_the_next_in_key_order_of_its_stratum() -> None:
    frame = frame_of(IDS[:6], "a") + frame_of(IDS[6:], "b")
    sample = stratified(frame, {"a": 2, "b": 2}, SEED)
    order_a = sorted(IDS[:6], key=lambda i: u(SEED, i))
    first = order_a[0]
    result = apply_exclusions(sample, frame, {first: "sagen er lukket"})
    rows = [(row.case_id, row.status, row.reason) for row in result.rows]
    assert rows[:3] == [
        (first, "excluded", "sagen er lukket"),
        (order_a[2], "replacement", f"erstatter {first}"),
        (order_a[1], "drawn", ""),
    ]
    assert [row.status for row in result.rows[3:]] == ["drawn", "drawn"]


def test_a_candidate_that_cannot_be_reviewed_is_passed_over_and_named() -> None:
    order = sorted(IDS, key=lambda i: u(SEED, i))
    sample = srs(frame_of(IDS), 2, SEED)
    reasons = {order[0]: "læser arbejder på sagen", order[2]: "gennemgået i perioden"}
    result = apply_exclusions(sample, frame_of(IDS), reasons.get)
    assert [(row.case_id, row.status) for row in result.rows] == [
        (order[0], "excluded"),
        (order[3], "replacement"),
        (order[1], "drawn"),
    ]
    assert result.rows[1].reason == f"erstatter {order[0]}; sprunget over: {order[2]} (gennemgået i perioden)"


def test_no_case_left_gives_no_replacement() -> None:
    frame = frame_of(IDS[:2])
    result = apply_exclusions(srs(frame, 2, SEED), frame, dict.fromkeys(IDS[:2], "lukket"))
    assert [row.status for row in result.rows] == ["excluded", "excluded"]


# --- properties ---------------------------------------------------------------

ids_strategy = st.lists(
    st.text(alphabet="abcæøå0123456789-", min_size=1, max_size=6), min_size=0, max_size=40, unique=True
)


@st.composite
def frames(draw: st.DrawFn) -> list[FrameCase]:
    ids = draw(ids_strategy)
    return [
        FrameCase(
            case_id,
            draw(st.sampled_from(["a", "b", "c", "d"])),
            draw(st.floats(min_value=0.01, max_value=100, allow_nan=False)),
        )
        for case_id in ids
    ]


@settings(max_examples=60, deadline=None)
@given(
    frames(),
    st.integers(0, 45),
    st.text(max_size=8),
    st.sampled_from(["srs", "stratified", "pps", "systematic"]),
)
def test_draws_are_deterministic_and_take_n(frame: list[FrameCase], n: int, seed: str, design: str) -> None:
    draw = DRAWS[design]
    first = draw(frame, n, seed)
    assert first == draw(list(reversed(frame)), n, seed)
    ids = first.case_ids()
    assert len(ids) == len(set(ids)) == min(n, len(frame))
    assert all(0 < row.inclusion_probability <= 1 for row in first.rows)
    assert all(row.weight == pytest.approx(1 / row.inclusion_probability) for row in first.rows)


@settings(max_examples=60, deadline=None)
@given(frames(), st.integers(1, 45))
def test_pps_takes_every_certainty_case(frame: list[FrameCase], n: int) -> None:
    total = math.fsum(case.risk_weight for case in frame)
    certain = {case.case_id for case in frame if n * case.risk_weight / total >= 1}
    sample = pps(frame, n, SEED)
    assert certain <= set(sample.case_ids())
    assert sum(row.inclusion_probability for row in sample.rows if row.inclusion_probability < 1) <= n


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 50)), st.integers(0, 200))
def test_allocation_sums_to_n_and_stays_within_strata(sizes: dict[str, int], n: int) -> None:
    allocation = allocate(sizes, n)
    assert sum(allocation.values()) == min(n, sum(sizes.values()))
    assert all(0 <= allocation[h] <= sizes[h] for h in sizes)
    total = sum(sizes.values())
    assert all(abs(allocation[h] - n * sizes[h] / total) < 1 for h in sizes if total and n <= total)


@settings(max_examples=60, deadline=None)
@given(frames(), st.integers(1, 20), st.sets(st.integers(0, 39)))
def test_replacements_come_from_the_same_stratum(frame: list[FrameCase], n: int, picks: set[int]) -> None:
    sample = stratified(frame, n, SEED)
    excluded = {frame[i].case_id: "lukket" for i in picks if i < len(frame)}
    result = apply_exclusions(sample, frame, excluded)
    stratum = {case.case_id: case.stratum for case in frame}
    assert all(stratum[row.case_id] == row.stratum for row in result.rows)
    ids = result.case_ids()
    assert len(ids) == len(set(ids))
    assert sorted(result.case_ids("drawn", "excluded")) == sorted(
        row.case_id for row in sample.rows
    )  # the drawn rows all stay in the record
    assert all(row.case_id not in excluded for row in result.rows if row.status in ("drawn", "replacement"))


def test_a_replacement_carries_its_own_design_values() -> None:
    frame = frame_of(IDS[:4], "a") + frame_of(IDS[4:], "b")
    sample = stratified(frame, {"a": 2, "b": 1}, SEED)
    first_a = sample.rows[0].case_id
    result = apply_exclusions(sample, frame, {first_a: "lukket"})
    replacement = next(row for row in result.rows if row.status == "replacement")
    assert (replacement.stratum, replacement.weight, replacement.inclusion_probability) == ("a", 2.0, 0.5)

    weighted = [FrameCase(case_id, "", float(i + 1)) for i, case_id in enumerate(IDS)]
    drawn = pps(weighted, 3, SEED)
    result = apply_exclusions(drawn, weighted, {drawn.rows[0].case_id: "lukket"})
    replacement = next(row for row in result.rows if row.status == "replacement")
    lam = 3 * (IDS.index(replacement.case_id) + 1) / 78
    assert replacement.inclusion_probability == pytest.approx(lam)
    assert replacement.weight == pytest.approx(1 / lam)
