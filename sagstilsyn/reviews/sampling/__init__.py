"""Stikprøver (samples): the published draw of supervision-contract.md §2, pure Python.

`frame_hash`, `case_key` and `new_seed` (keys.py); the designs `srs`, `stratified`, `pps` and
`systematic` (designs.py); exclusions and replacements (replacements.py). docs/supervision-redraw.md
shows the same draw in a few lines of standard-library Python for an auditor.
"""

from sagstilsyn.reviews.sampling.designs import allocate, pps, pps_probabilities, srs, stratified, systematic
from sagstilsyn.reviews.sampling.keys import case_key, frame_hash, new_seed
from sagstilsyn.reviews.sampling.model import (
    DESIGNS,
    ROW_STATUSES,
    Design,
    FrameCase,
    RowStatus,
    Sample,
    SampleRow,
    SamplingError,
)
from sagstilsyn.reviews.sampling.replacements import Exclusion, apply_exclusions, replacement_reason

__all__ = [
    "DESIGNS",
    "ROW_STATUSES",
    "Design",
    "Exclusion",
    "FrameCase",
    "RowStatus",
    "Sample",
    "SampleRow",
    "SamplingError",
    "allocate",
    "apply_exclusions",
    "case_key",
    "frame_hash",
    "new_seed",
    "pps",
    "pps_probabilities",
    "replacement_reason",
    "srs",
    "stratified",
    "systematic",
]
