"""Hand-picking (håndplukning, issue 13 §1): an administrator adds a case by number to a sample, with
a reason.

Off by default: only where the part version allows it (`hand_picking_allowed`). The row is marked
`hand_picked`, has status "drawn", key, inclusion probability and weight 0, and gets a review assigned
like a drawn row. It is never part of a unit's rate and a redraw leaves it out (`rows.rows_for_verify`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from sagstilsyn.cases.models import Case
from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.reviews.models import Sample, SampleRow
from sagstilsyn.reviews.programmes.draw import reviewer_for
from sagstilsyn.reviews.services.reviews import reviews_assign_sample


class HandPickRefused(ValueError):
    """A case that may not be hand-picked into the sample; the message is Danish."""


@transaction.atomic
def sample_case_hand_pick(*, sample: Sample, case_ref: str, reason: str, actor: User) -> SampleRow:
    """Add the case numbered `case_ref` to `sample` as a hand-picked row and assign its review."""
    sample = (
        Sample.objects.select_for_update().select_related("part__programme__municipality").get(pk=sample.pk)
    )
    part = sample.part
    municipality = part.programme.municipality
    ref, why = case_ref.strip(), reason.strip()
    if not part.hand_picking_allowed:
        raise HandPickRefused("Delprogrammet tillader ikke håndplukkede sager")
    if sample.closed_at is not None:
        raise HandPickRefused("Stikprøven er lukket")
    if not ref:
        raise HandPickRefused("Skriv sagsnummeret")
    if not why:
        raise HandPickRefused("Skriv en begrundelse for at tage sagen med")
    case = Case.objects.filter(municipality=municipality, source_ref=ref).select_related("unit").first()
    if case is None:
        raise HandPickRefused(f"Sagen {ref} findes ikke i kommunen")
    if sample.rows.filter(case=case).exists():
        raise HandPickRefused(f"Sagen {ref} er allerede med i stikprøven")
    if part.period_kind == "adhoc":  # an ad hoc sample's reviewer was named at its draw
        named = sample.rows.exclude(reviewer=None).select_related("reviewer").first()
        chosen = named.reviewer if named is not None and named.reviewer_id != case.caseworker_id else None
    else:
        chosen = reviewer_for(part, case)
    if chosen is None:
        raise HandPickRefused(f"Der er ingen bedømmer til sagen {ref}, der ikke selv arbejder på den")
    position = (sample.rows.aggregate(last=Max("position"))["last"] or 0) + 1
    row = SampleRow.objects.create(
        sample=sample,
        position=position,
        case=case,
        stratum="",
        key=0.0,
        inclusion_probability=0.0,
        weight=0.0,
        status="drawn",
        reason=f"Håndplukket: {why}",
        reviewer=chosen,
        hand_picked=True,
    )
    audit_record(
        actor=actor,
        action="sample_hand_pick",
        municipality=municipality,
        target_type="sample",
        target_id=sample.pk,
        target_label=f"{part.programme.code}/{part.code} {sample.period} {case.source_ref}",
        after={"case": case.source_ref, "reason": why, "reviewer": chosen.username},
    )
    reviews_assign_sample(sample=sample, actor=actor)
    return row
