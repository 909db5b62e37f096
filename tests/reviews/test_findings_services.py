"""Case repairs (sagsgenopretninger) through the services (issue 13 §5): a Nej becomes a finding and its
repair; the owner reports it done; someone other than the reviewer and the owner re-checks it; only Ja
or Ikke relevant closes it; comments follow the part's caseworker rule. All audited, refusals Danish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sagstilsyn.core.models import AuditEvent
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import CaseRepair, FindingComment, ProgrammePart, RepairStatus
from sagstilsyn.reviews.services.findings import (
    RepairRefused,
    finding_comment_add,
    repair_mark_done,
    repair_recheck,
)
from tests.reviews.findings_helpers import caseworker_of, finding_from_review, part_of, signer_for
from tests.reviews.worlds import user

pytestmark = pytest.mark.django_db


def test_a_nej_becomes_a_repair_owned_by_the_caseworker_with_the_parts_deadline() -> None:
    review, finding = finding_from_review()
    repair = finding.repair
    part = part_of(review)
    assert repair.owner_id == review.case.caseworker_id
    assert repair.status == RepairStatus.OPEN
    assert repair.deadline == today_local() + timedelta(days=part.repair_days)


def test_the_owner_marks_done_and_a_leader_closes_it_with_ja() -> None:
    review, finding = finding_from_review()
    owner = caseworker_of(review)
    repair = repair_mark_done(repair=finding.repair, note="Samtalen er holdt og journaliseret", actor=owner)
    assert (repair.status, repair.done_note) == (RepairStatus.DONE, "Samtalen er holdt og journaliseret")
    signer = signer_for(review)
    closed = repair_recheck(repair=repair, answer="ja", note="", actor=signer)
    stored = CaseRepair.objects.get(pk=closed.pk)
    assert stored.status == RepairStatus.CLOSED
    assert stored.closed_at is not None
    assert (stored.signed_off_by_id, stored.recheck_answer) == (signer.pk, "ja")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"repair_mark_done", "repair_recheck"} <= actions
    with pytest.raises(RepairRefused, match="allerede lukket"):
        repair_recheck(repair=stored, answer="ja", note="", actor=signer)


def test_nej_on_the_recheck_sends_it_back_with_a_new_deadline_and_the_note() -> None:
    review, finding = finding_from_review()
    repair = repair_mark_done(repair=finding.repair, note="Rettet", actor=caseworker_of(review))
    signer = signer_for(review)
    with pytest.raises(RepairRefused, match="Note ved fornyet kontrol"):
        repair_recheck(repair=repair, answer="nej", note=" ", actor=signer)
    assert CaseRepair.objects.get(pk=repair.pk).status == RepairStatus.DONE, "nothing half-written"
    back = repair_recheck(repair=repair, answer="delvist", note="Samtalen mangler stadig", actor=signer)
    part = part_of(review)
    assert back.status == RepairStatus.OPEN
    assert back.deadline == today_local() + timedelta(days=part.repair_days)
    assert back.recheck_note == "Samtalen mangler stadig"
    assert back.closed_at is None


def test_ikke_relevant_closes_too() -> None:
    review, finding = finding_from_review()
    closed = repair_recheck(repair=finding.repair, answer="ikke_relevant", note="", actor=signer_for(review))
    assert closed.status == RepairStatus.CLOSED


def test_neither_the_reviewer_nor_the_owner_nor_an_outsider_signs_off() -> None:
    review, finding = finding_from_review()
    repair = finding.repair
    with pytest.raises(RepairRefused, match="gennemgik selv"):
        repair_recheck(repair=repair, answer="ja", note="", actor=review.reviewer)
    with pytest.raises(RepairRefused, match="leder i sagens enhed eller en jurist"):
        repair_recheck(repair=repair, answer="ja", note="", actor=caseworker_of(review))
    other_unit = "koord-syd" if review.case.unit.code != "BFE-SYD" else "koord-nord"
    with pytest.raises(RepairRefused, match="leder i sagens enhed eller en jurist"):
        repair_recheck(repair=repair, answer="ja", note="", actor=user(other_unit))
    with pytest.raises(RepairRefused, match="vælg Ja"):
        repair_recheck(repair=repair, answer="maaske", note="", actor=signer_for(review))
    assert CaseRepair.objects.get(pk=repair.pk).status == RepairStatus.OPEN


def test_a_centre_lawyer_may_sign_off() -> None:
    review, finding = finding_from_review()
    lawyer = next(u for u in (user("jurist-a"), user("jurist-b")) if u.pk != review.reviewer_id)
    assert repair_recheck(repair=finding.repair, answer="ja", note="", actor=lawyer).status == "closed"


def test_only_the_owner_or_a_line_leader_marks_done_and_only_once() -> None:
    review, finding = finding_from_review()
    other_caseworker = "sb-3" if review.case.unit.code != "BFE-SYD" else "sb-1"
    with pytest.raises(RepairRefused, match="melde den udført"):
        repair_mark_done(repair=finding.repair, note="x", actor=user(other_caseworker))
    with pytest.raises(RepairRefused, match="Hvad er gjort: skriv noget"):
        repair_mark_done(repair=finding.repair, note="  ", actor=caseworker_of(review))
    with pytest.raises(RepairRefused, match="CPR"):
        repair_mark_done(
            repair=finding.repair, note="Barnet 010203-1234 er hørt", actor=caseworker_of(review)
        )
    done = repair_mark_done(repair=finding.repair, note="Rettet", actor=signer_for(review))
    with pytest.raises(RepairRefused, match="allerede meldt udført"):
        repair_mark_done(repair=done, note="Igen", actor=caseworker_of(review))


def test_comments_by_the_caseworker_and_none_when_the_part_says_none() -> None:
    review, finding = finding_from_review()
    comment = finding_comment_add(
        finding=finding, text="Samtalen blev holdt, men ikke journaliseret", actor=caseworker_of(review)
    )
    assert FindingComment.objects.get().pk == comment.pk
    assert AuditEvent.objects.filter(action="finding_comment_add").exists()
    with pytest.raises(RepairRefused, match="Bemærkning: skriv noget"):
        finding_comment_add(finding=finding, text="", actor=caseworker_of(review))
    with pytest.raises(RepairRefused, match="sagsbehandleren på sagen"):
        finding_comment_add(finding=finding, text="Hej", actor=user("jurist-a"))
    ProgrammePart.objects.filter(pk=part_of(review).pk).update(caseworker_part="none")
    part_of(finding.review).refresh_from_db()
    with pytest.raises(RepairRefused, match="ikke sagsbehandleren en rolle"):
        finding_comment_add(finding=finding, text="Hej", actor=caseworker_of(review))
