"""The frame and the drawn sample (stikprøve) as plain values."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Design = Literal["srs", "stratified", "pps", "systematic"]
DESIGNS: tuple[Design, ...] = ("srs", "stratified", "pps", "systematic")

RowStatus = Literal["drawn", "excluded", "replacement"]
ROW_STATUSES: tuple[RowStatus, ...] = ("drawn", "excluded", "replacement")


class SamplingError(ValueError):
    """A frame or design the draw cannot use; the message says in Danish what is wrong."""


@dataclass(frozen=True)
class FrameCase:
    """One case of the frame (rammen): its `case_id`, stratum and risk weight (used by `pps`)."""

    case_id: str
    stratum: str = ""
    risk_weight: float = 1.0


@dataclass(frozen=True)
class SampleRow:
    """One row of the sample (stikprøve): a case as drawn, excluded or put in as a replacement.

    `inclusion_probability` is the inklusionssandsynlighed, `weight` the designvægt (its inverse).
    """

    stratum: str
    case_id: str
    key: float
    inclusion_probability: float
    weight: float
    status: RowStatus = "drawn"
    reason: str = ""


@dataclass(frozen=True)
class Sample:
    """A drawn sample with what the contract's export needs; no unit or reviewer (the database adds them)."""

    design: Design
    seed: str
    frame_hash: str
    frame_size: int
    rows: tuple[SampleRow, ...]

    def case_ids(self, *statuses: RowStatus) -> list[str]:
        """The ids of the rows with these statuses (all rows when none is given), in row order."""
        return [row.case_id for row in self.rows if not statuses or row.status in statuses]


def check_frame(frame: list[FrameCase], *, weights: bool = False) -> None:
    """Raise `SamplingError` for a duplicate case id or (with `weights`) a risk weight that is not > 0."""
    seen: set[str] = set()
    problems: list[str] = []
    for case in frame:
        if case.case_id in seen:
            problems.append(f"rammen: case_id {case.case_id!r} står mere end én gang")
        seen.add(case.case_id)
        if weights and not (math.isfinite(case.risk_weight) and case.risk_weight > 0):
            problems.append(
                f"rammen: risk_weight {case.risk_weight!r} for case_id {case.case_id!r} skal være et tal > 0"
            )
    if problems:
        raise SamplingError("; ".join(problems))
