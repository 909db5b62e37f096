"""The header of every page: the user, their roles and log-out, and the main menu of `navigation.py`."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from sagstilsyn.web.navigation import menu_for

register = template.Library()


@register.inclusion_tag("web/includes/header.html", takes_context=True)
def site_header(context: template.Context) -> dict[str, Any]:
    """The DKFDS header: the user, their roles and log-out, and the menu items their roles may use."""
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    roles: list[str] = []
    municipality = ""
    if user is not None and user.is_authenticated:
        roles = sorted({str(a.get_role_display()) for a in user.role_assignments.all()})
        municipality = user.municipality.name if user.municipality_id else ""
    return {
        "user": user,
        "menu": menu_for(user, path=path),
        "roles": roles,
        "municipality": municipality,
        "csrf_token": context.get("csrf_token", ""),
        "on_login_page": path == reverse("core:login"),
    }
