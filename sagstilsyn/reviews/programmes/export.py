"""The sample export and frame of supervision-contract.md §2 (exactly the contract's columns)."""

from __future__ import annotations

from sagstilsyn.reviews.models import Sample, SampleRow

EXPORT_COLUMNS: tuple[str, ...] = (
    "sample_id",
    "programme",
    "part",
    "period",
    "design",
    "seed",
    "frame_hash",
    "frame_size",
    "stratum",
    "case_id",
    "unit",
    "key",
    "inclusion_probability",
    "weight",
    "status",
    "reason",
    "reviewer",
)
FRAME_COLUMNS: tuple[str, ...] = ("case_id", "stratum", "risk_weight")


def samples_export_rows(*, period: str = "", programme: str = "") -> list[list[object]]:
    """One row per sample row, in sample and row order, filtered by period label and programme code.
    Hand-picked rows (ADR 0029) are no part of the published draw and are left out, so the export redraws."""
    rows = SampleRow.objects.filter(hand_picked=False).select_related(
        "sample__part__programme", "case__unit", "reviewer"
    )
    if period:
        rows = rows.filter(sample__period=period)
    if programme:
        rows = rows.filter(sample__part__programme__code=programme)
    out: list[list[object]] = []
    for row in rows.order_by("sample_id", "position"):
        sample = row.sample
        out.append(
            [
                sample.pk,
                sample.part.programme.code,
                sample.part.code,
                sample.period,
                sample.design,
                sample.seed,
                sample.frame_hash,
                sample.frame_size,
                row.stratum,
                row.case.source_ref,
                row.case.unit.code,
                repr(row.key),
                repr(row.inclusion_probability),
                repr(row.weight),
                row.status,
                row.reason,
                row.reviewer.username if row.reviewer else "",
            ]
        )
    return out


def sample_frame_rows(sample: Sample) -> list[list[object]]:
    """The frame: case_id, stratum, risk_weight, sorted by case_id."""
    rows: list[list[object]] = [
        [r.case.source_ref, r.stratum, repr(r.risk_weight)] for r in sample.frame.select_related("case")
    ]
    return sorted(rows, key=lambda r: str(r[0]))
