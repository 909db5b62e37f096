"""Programme parts, progress, hand-picking and ad hoc samples through the services (issue 13 §1, §2, §7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sagstilsyn.core.access import user_scope
from sagstilsyn.core.models import AuditEvent, Municipality, Role, Unit, User
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import ProgrammePart, Review, ReviewStatus, Sample, SampleRow
from sagstilsyn.reviews.programmes.adhoc import AdhocRefused, AdhocRequest, adhoc_sample_draw, sample_close
from sagstilsyn.reviews.programmes.compare import audit_compare
from sagstilsyn.reviews.programmes.draw import sample_redraw_problems
from sagstilsyn.reviews.programmes.editing import (
    PartChangeRefused,
    next_valid_from,
    part_settings,
    part_versions,
    programme_part_change,
)
from sagstilsyn.reviews.programmes.hand_picking import HandPickRefused, sample_case_hand_pick
from sagstilsyn.reviews.programmes.periods import period_parse
from sagstilsyn.reviews.programmes.progress import programme_progress, quarter_of
from sagstilsyn.reviews.programmes.rows import rows_for_verify
from sagstilsyn.reviews.services.reviews import answer_save, review_questions, review_submit
from tests.factories import make_staff
from tests.reviews.worlds import started_quarter, supervision_world, user

pytestmark = pytest.mark.django_db


def _part(code: str) -> ProgrammePart:
    return ProgrammePart.objects.get(code=code)


def test_a_change_is_a_new_version_from_the_next_period_with_its_author() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    part = _part("doegnvagt")
    settings = part_settings(part)
    changed = programme_part_change(
        part=part,
        settings=settings.__class__(**{**settings.__dict__, "size": 8}),
        actor=admin,
        today=date(2026, 11, 30),
    )
    assert changed.pk != part.pk
    assert changed.valid_from == "2027Q1"
    assert (changed.size, changed.changed_by, part.size) == (8, admin, 5)
    part.refresh_from_db()
    assert part.size == 5, "the version in force is untouched"
    assert [v.valid_from for v in part_versions(part)] == [part.valid_from, "2027Q1"]
    event = AuditEvent.objects.get(action="programme_part_change")
    assert (event.before, event.after) == ({"size": 5}, {"size": 8})


def test_a_second_change_before_the_period_replaces_the_waiting_version() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    part = _part("doegnvagt")
    base = part_settings(part).__dict__
    day = date(2026, 11, 30)
    first = programme_part_change(
        part=part, settings=part_settings(part).__class__(**{**base, "size": 8}), actor=admin, today=day
    )
    second = programme_part_change(
        part=part, settings=part_settings(part).__class__(**{**base, "size": 9}), actor=admin, today=day
    )
    assert first.pk == second.pk
    assert len(part_versions(part)) == 2


def test_an_unchanged_or_bad_edit_is_refused_in_danish_and_writes_nothing() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    part = _part("doegnvagt")
    settings = part_settings(part)
    with pytest.raises(PartChangeRefused, match="Intet er ændret"):
        programme_part_change(part=part, settings=settings, actor=admin)
    bad = settings.__class__(
        **{**settings.__dict__, "level2_share": 1.5, "review_days": 0, "questionnaire": "findes_ikke"}
    )
    with pytest.raises(PartChangeRefused) as refused:
        programme_part_change(part=part, settings=bad, actor=admin)
    assert "2. niveau" in str(refused.value)
    assert "Dage til gennemgang" in str(refused.value)
    assert "findes_ikke" in str(refused.value)
    assert len(part_versions(part)) == 1
    assert not AuditEvent.objects.filter(action="programme_part_change").exists()


def test_next_period_follows_the_part_kind() -> None:
    supervision_world()
    day = date(2026, 12, 15)
    assert next_valid_from(_part("sagsbehandler"), day) == "2027-01"
    assert next_valid_from(_part("center"), day) == "2027Q1"
    assert next_valid_from(_part("risiko"), day) == "2027"


def test_progress_counts_drawn_assigned_submitted_and_overdue_per_part_and_reviewer() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    reviews = started_quarter(municipality)
    first = reviews[0]
    for question in review_questions(first):
        answer_save(
            review=first,
            question_id=question.id,
            answer=question.answers[0],
            note="Set",
            actor=first.reviewer,
        )
    review_submit(review=first, actor=first.reviewer)
    late = reviews[1]
    Review.objects.filter(pk=late.pk).update(deadline=today_local() - timedelta(days=1))
    progress = programme_progress(
        scope=user_scope(admin), quarter=period_parse("2026Q4"), today=today_local()
    )
    assert (
        sum(p.drawn for p in progress.parts)
        == Sample.objects.get_queryset().filter(rows__status__in=["drawn", "replacement"]).count()
    )
    assert sum(p.assigned for p in progress.parts) == len(reviews)
    assert sum(p.submitted for p in progress.parts) == 1
    assert sum(p.overdue for p in progress.parts) == 1
    person = next(r for r in progress.reviewers if r.username == first.reviewer.username)
    assert person.submitted == 1
    # another quarter holds none of it
    other = programme_progress(scope=user_scope(admin), quarter=period_parse("2026Q2"), today=today_local())
    assert not other.parts


def test_a_unit_leader_counts_only_their_units_rows() -> None:
    municipality = supervision_world()
    started_quarter(municipality)
    leader = user("koord-syd")
    progress = programme_progress(
        scope=user_scope(leader), quarter=period_parse("2026Q4"), today=today_local()
    )
    south_rows = SampleRow.objects.filter(case__unit__code="BFE-SYD").exclude(status="excluded")
    assert progress.parts
    assert sum(p.drawn for p in progress.parts) == south_rows.count() > 0
    assert quarter_of(date(2026, 11, 30)).label == "2026Q4"


def _allow_hand_picking(code: str) -> ProgrammePart:
    part = _part(code)
    ProgrammePart.objects.filter(pk=part.pk).update(hand_picking_allowed=True)
    part.refresh_from_db()
    return part


def test_hand_picking_is_off_by_default() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    started_quarter(municipality)
    sample = Sample.objects.filter(part__code="doegnvagt").first()
    assert sample is not None
    with pytest.raises(HandPickRefused, match="tillader ikke"):
        sample_case_hand_pick(sample=sample, case_ref="N-0", reason="Bekymring", actor=admin)


def test_a_hand_picked_case_is_marked_weightless_assigned_and_left_out_of_the_redraw() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    _allow_hand_picking("doegnvagt")
    started_quarter(municipality)
    sample = Sample.objects.get(part__code="doegnvagt")
    taken = set(sample.rows.values_list("case__source_ref", flat=True))
    ref = next(r for r in ("D-0", "D-1", "D-2") if r not in taken) if len(taken) < 3 else None
    ref = ref or "N-0"
    row = sample_case_hand_pick(sample=sample, case_ref=ref, reason="Anmeldelse fra skolen", actor=admin)
    assert (row.hand_picked, row.status, row.weight, row.inclusion_probability) == (True, "drawn", 0.0, 0.0)
    assert row.reviews.get().status == ReviewStatus.ASSIGNED
    assert not rows_for_verify(sample.rows.all()).filter(pk=row.pk).exists()
    with pytest.raises(HandPickRefused, match="allerede med"):
        sample_case_hand_pick(sample=sample, case_ref=ref, reason="Igen", actor=admin)
    with pytest.raises(HandPickRefused, match="findes ikke"):
        sample_case_hand_pick(sample=sample, case_ref="X-99", reason="Igen", actor=admin)
    assert AuditEvent.objects.filter(action="sample_hand_pick").count() == 1


def test_verify_ignores_hand_picked_rows() -> None:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    _allow_hand_picking("center")
    started_quarter(municipality)
    sample = Sample.objects.get(part__code="center")
    taken = set(sample.rows.values_list("case__source_ref", flat=True))
    ref = next(f"D-{n}" for n in range(3) if f"D-{n}" not in taken)
    sample_case_hand_pick(sample=sample, case_ref=ref, reason="Bekymring", actor=admin)
    assert sample_redraw_problems(sample) == []


def _external_world() -> tuple[Municipality, User, User]:
    municipality = supervision_world()
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    auditor = make_staff(municipality, Role.EXTERNAL_REVIEWER, username="revisor")
    return municipality, admin, auditor


def test_an_external_audit_is_a_redrawable_srs_assigned_to_the_auditor_until_its_last_day() -> None:
    municipality, admin, auditor = _external_world()
    units = list(Unit.objects.filter(code__in=["BFE-NORD", "BFE-SYD"]))
    closes = today_local() + timedelta(days=14)
    sample = adhoc_sample_draw(
        municipality=municipality,
        request=AdhocRequest(kind="ekstern", units=units, size=4, closes_on=closes, reviewer=auditor),
        actor=admin,
    )
    assert sample.period == today_local().isoformat()
    assert sample.part.period_kind == "adhoc"
    assert sample.part.programme.code == "ekstern"
    assert sample.frame_size == sample.frame.count() >= 4
    assert sample.rows.exclude(status="excluded").count() == 4
    reviews = Review.objects.filter(sample_row__sample=sample)
    assert {r.reviewer for r in reviews} == {auditor}
    assert {r.deadline for r in reviews} == {closes}
    assert sample_redraw_problems(sample) == []
    closed = sample_close(sample=sample, actor=admin)
    assert closed.closed_at is not None
    with pytest.raises(AdhocRefused, match="allerede lukket"):
        sample_close(sample=sample, actor=admin)


def test_an_ad_hoc_sample_with_bad_values_names_every_problem_and_writes_nothing() -> None:
    municipality, admin, _ = _external_world()
    koordinator = user("koord-nord")
    units = list(Unit.objects.filter(code__in=["BFE-NORD", "BFE-SYD"]))
    with pytest.raises(AdhocRefused) as refused:
        adhoc_sample_draw(
            municipality=municipality,
            request=AdhocRequest(
                kind="kvalitet",
                units=units,
                size=0,
                closes_on=today_local() - timedelta(days=1),
                reviewer=koordinator,
            ),
            actor=admin,
        )
    message = str(refused.value)
    assert "én enhed" in message
    assert "mindst 1" in message
    assert "overskredet" in message
    with pytest.raises(AdhocRefused, match="ikke ekstern gennemgår"):
        adhoc_sample_draw(
            municipality=municipality,
            request=AdhocRequest(
                kind="ekstern", units=units, size=3, closes_on=today_local(), reviewer=koordinator
            ),
            actor=admin,
        )
    assert not Sample.objects.filter(part__period_kind="adhoc").exists()


def test_a_follow_up_audit_is_compared_question_by_question() -> None:
    municipality, admin, auditor = _external_world()
    unit = Unit.objects.get(code="BFE-SYD")
    first = adhoc_sample_draw(
        municipality=municipality,
        request=AdhocRequest(kind="ekstern", units=[unit], size=2, closes_on=today_local(), reviewer=auditor),
        actor=admin,
        today=today_local() - timedelta(days=1),
    )
    for review in Review.objects.filter(sample_row__sample=first):
        for question in review_questions(review):
            answer_save(
                review=review, question_id=question.id, answer=question.answers[0], note="Set", actor=auditor
            )
        review_submit(review=review, actor=auditor)
    follow = adhoc_sample_draw(
        municipality=municipality,
        request=AdhocRequest(
            kind="ekstern", units=[unit], size=2, closes_on=today_local(), reviewer=auditor, follows=first
        ),
        actor=admin,
    )
    rows = audit_compare(follow)
    assert rows
    answered = [r for r in rows if r.then.answered]
    assert answered
    assert all(r.now.answered == 0 for r in rows)
    assert all(r.then.percent in (0, 100) for r in answered)
