"""Writes for the oversigtsskema: hand marks (tick and note) on an item of a placement case, and the
koordinator's sign-off at the monthly case review."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sagstilsyn.cases.checklist.items import ITEMS_BY_ID
from sagstilsyn.cases.checklist.selectors import case_placement, checklist_for_case
from sagstilsyn.cases.models import Case, ChecklistMark, ChecklistSignOff
from sagstilsyn.core.access import can_sign_off_checklist, user_scope
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.text_hygiene import free_text_problem

NOTE_MAX = 2000


class ChecklistError(ValueError):
    """A Danish message explaining why a mark was refused."""


def checklist_mark_set(
    *, case: Case, item_id: str, checked: bool, note: str, actor: User | None, choice: str = ""
) -> ChecklistMark:
    """Tick (or untick) an item of the case's oversigtsskema by hand, with a note; writes an audit event.

    A tick needs a note (what was done, where it is documented). An item with a classification
    (samvær) needs one of its choices when ticked.
    """
    item = ITEMS_BY_ID.get(item_id)
    if item is None:
        raise ChecklistError(f"ukendt punkt i oversigtsskemaet: '{redact(item_id)}'")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ChecklistError(f"noten må højst være {NOTE_MAX} tegn")
    problem = free_text_problem(note, multiline=True)
    if problem is not None:
        raise ChecklistError(f"noten {problem}")
    if checked and not note:
        raise ChecklistError("skriv en note om, hvad der er gjort, og hvor det fremgår af sagen")
    choices = dict(item.choices)
    if choice and choice not in choices:
        raise ChecklistError(f"ukendt klassifikation '{redact(choice)}'")
    if checked and choices and not choice:
        raise ChecklistError("vælg en klassifikation")
    if case_placement(case=case) is None:
        raise ChecklistError("sagen har ingen anbringelse, så den har intet oversigtsskema")
    with transaction.atomic():
        mark = ChecklistMark.objects.select_for_update().filter(case=case, item_id=item_id).first()
        before = None if mark is None else {"checked": mark.checked, "choice": mark.choice, "note": mark.note}
        if mark is None:
            mark = ChecklistMark(case=case, item_id=item_id)
        mark.checked, mark.choice, mark.note = checked, choice, note
        mark.marked_by, mark.marked_at = actor, timezone.now()
        mark.save()
        audit_record(
            actor=actor,
            action="checklist.mark",
            municipality=case.municipality,
            target_type="case",
            target_id=case.pk,
            target_label=f"{case.source_ref}: {item_id}",
            before=before,
            after={"item": item_id, "checked": checked, "choice": choice, "note": note},
        )
    return mark


SIGN_OFF_REFUSED = (
    "kun en faglig koordinator eller afdelingsleder i sagens enhed kan godkende oversigtsskemaet"
)


def checklist_sign_off(*, case: Case, actor: User, note: str = "") -> ChecklistSignOff:
    """Sign off the case's oversigtsskema at the monthly case review (faglig koordinator or
    afdelingsleder of the case's unit, `can_sign_off_checklist`); writes an audit event.

    The sign-off stores each item's done flag at this moment, so the schema shows what has changed since.
    A note (e.g. what was agreed with the caseworker) is optional and checked like every free text.
    """
    scope = user_scope(actor)
    if not can_sign_off_checklist(scope, municipality_id=case.municipality_id, unit_id=case.unit_id):
        raise ChecklistError(SIGN_OFF_REFUSED)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ChecklistError(f"noten må højst være {NOTE_MAX} tegn")
    problem = free_text_problem(note, multiline=True)
    if problem is not None:
        raise ChecklistError(f"noten {problem}")
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # one sign-off at a time per case
        sheet = checklist_for_case(case=case)
        if sheet is None:
            raise ChecklistError("sagen har ingen anbringelse, så den har intet oversigtsskema")
        sign_off = ChecklistSignOff.objects.create(
            case=case,
            signed_by=actor,
            signed_at=timezone.now(),
            note=note,
            items_done=sheet.done_count,
            items_total=len(sheet.items),
            snapshot=sheet.snapshot(),
        )
        audit_record(
            actor=actor,
            action="checklist.sign_off",
            municipality=case.municipality,
            target_type="case",
            target_id=case.pk,
            target_label=f"{case.source_ref}: oversigtsskema",
            before=None,
            after={
                "items_done": sign_off.items_done,
                "items_total": sign_off.items_total,
                "snapshot": sign_off.snapshot,
                "note": note,
            },
        )
    return sign_off
