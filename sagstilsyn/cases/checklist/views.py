"""Pages of the oversigtsskema: the checklist of a placement case (with hand marks) and its print view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sagstilsyn.cases.checklist.items import ITEMS_BY_ID
from sagstilsyn.cases.checklist.selectors import Checklist, checklist_case_get, checklist_for_case
from sagstilsyn.cases.checklist.services import ChecklistError, checklist_mark_set, checklist_sign_off
from sagstilsyn.cases.models import Case
from sagstilsyn.core.access import can_sign_off_checklist, user_scope
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.models import User
from sagstilsyn.core.services.access_log import access_log_record_many


def _load(request: HttpRequest, case_id: int) -> tuple[User, Case, Checklist]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the views require a log-in
    case = checklist_case_get(scope=user_scope(user), case_id=case_id)
    checklist = checklist_for_case(case=case)
    if checklist is None:
        raise Http404("Sagen har ingen anbringelse og derfor intet oversigtsskema.")
    return user, case, checklist


@require_http_methods(["GET", "POST"])
@login_required
def checklist(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case, sheet = _load(request, case_id)
    errors: dict[str, str] = {}
    status = 200
    may_sign = can_sign_off_checklist(
        user_scope(user), municipality_id=case.municipality_id, unit_id=case.unit_id
    )
    sign_off_error = ""
    if request.method == "POST" and request.POST.get("action") == "sign_off":
        try:
            checklist_sign_off(case=case, actor=user, note=request.POST.get("note", ""))
        except ChecklistError as error:
            sign_off_error = str(error)
            status = 403 if not may_sign else 400
        else:
            messages.success(request, "Oversigtsskemaet er godkendt.")
            return redirect(f"{request.path}#godkendelse")
    elif request.method == "POST":
        item_id = request.POST.get("item", "")
        try:
            checklist_mark_set(
                case=case,
                item_id=item_id,
                checked=request.POST.get("checked") == "on",
                choice=request.POST.get("choice", ""),
                note=request.POST.get("note", ""),
                actor=user,
            )
        except ChecklistError as error:
            errors[item_id] = str(error)
            status = 400
        else:
            item = ITEMS_BY_ID[item_id]
            messages.success(request, f"Punkt {item.number} er gemt.")
            return redirect(f"{request.path}#punkt-{item.number}")
    access_log_record_many(user=user, cases=[(case.child_id, case.pk)], purpose="checklist_view")
    forms = []
    for status_ in sheet.items:
        item_id = status_.item.id
        posted = item_id in errors
        mark = status_.mark
        forms.append(
            {
                "status": status_,
                "error": errors.get(item_id, ""),
                "checked": request.POST.get("checked") == "on" if posted else bool(mark and mark.checked),
                "choice": request.POST.get("choice", "") if posted else (mark.choice if mark else ""),
                # A refused note comes back to be corrected, a CPR number in it masked (never echoed).
                "note": redact(request.POST.get("note", "")) if posted else (mark.note if mark else ""),
                "open": posted or (status_.needs_judgment and mark is None),
            }
        )
    context = {
        "sheet": sheet,
        "case": case,
        "forms": forms,
        "may_sign": may_sign,
        "sign_off_error": sign_off_error,
        # A refused sign-off note comes back to be corrected, a CPR number in it masked.
        "sign_off_note": redact(request.POST.get("note", "")) if sign_off_error else "",
    }
    return render(request, "cases/checklist.html", context, status=status)


@login_required
def checklist_print(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case, sheet = _load(request, case_id)
    access_log_record_many(user=user, cases=[(case.child_id, case.pk)], purpose="checklist_view")
    return render(request, "cases/checklist_print.html", {"sheet": sheet, "case": case})
