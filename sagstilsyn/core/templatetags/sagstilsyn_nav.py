"""The header's navigation by role, and links to pages that may not exist yet (`optional_url`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from sagstilsyn.core.access import can_import, can_list_cases, can_view_jobs, user_scope

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: object) -> str:
    """The URL of the named page, or "" when no such page is configured."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("core/includes/header.html", takes_context=True)
def site_header(context: template.Context) -> dict[str, Any]:
    """The DKFDS header: the user, their roles and log-out, and the menu items their roles may use."""
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    items: list[tuple[str, str]] = [("Forside", reverse("core:home"))]
    roles: list[str] = []
    municipality = ""
    if user is not None and user.is_authenticated:
        scope = user_scope(user)
        if can_list_cases(scope):
            items.append(("Sager", reverse("cases:case_list")))
            followup = optional_url("cases:followup")
            if followup:
                items.append(("Ugens frister", followup))
        if can_import(scope):
            items.append(("Indlæs", reverse("cases:import_upload")))
        if can_view_jobs(scope):
            items.append(("Planlagte job", reverse("core:jobs")))
        roles = sorted({str(a.get_role_display()) for a in user.role_assignments.all()})
        municipality = user.municipality.name if user.municipality_id else ""
    items.append(("Regelkatalog", reverse("core:rules")))
    home = reverse("core:home")
    menu = [
        {"label": label, "url": url, "active": path == url if url == home else path.startswith(url)}
        for label, url in items
    ]
    return {
        "user": user,
        "menu": menu,
        "roles": roles,
        "municipality": municipality,
        "csrf_token": context.get("csrf_token", ""),
        "on_login_page": path == reverse("core:login"),
    }
