"""The weekly list's section "Sagsgenopretninger": the open (or done, awaiting the re-check) case
repairs, until closed, for the follow-up page's caseworker and unit filters. Registered in
`ReviewsConfig.ready()` (the cases layer may not import the ledelsestilsyn)."""

from __future__ import annotations

from sagstilsyn.cases.followup.extras import FollowupExtra, FollowupExtraRequest
from sagstilsyn.cases.followup.selectors import NO_CASEWORKER
from sagstilsyn.reviews.findings.selectors import RepairRow, repairs_open


def followup_repairs(request: FollowupExtraRequest) -> list[RepairRow]:
    """The open repairs the follow-up page's filters select: the chosen caseworker's (a caseworker's
    own by default), or of the cases without one, in the chosen unit or all the reader's units."""
    return repairs_open(
        request.scope,
        unit_id=request.unit_id,
        owner_id=request.caseworker_id if request.caseworker_id != NO_CASEWORKER else None,
        no_owner=request.caseworker_id == NO_CASEWORKER,
    )


REPAIRS_SECTION = FollowupExtra(
    key="repairs",
    title="Sagsgenopretninger",
    rows=followup_repairs,
    template="reviews/repair/followup_section.html",
)
