"""The main menu (hovedmenu): one entry per page a role may use, in the order shown.

The site shell composes the menu from the apps below it: an entry names a page by its URL name and, for
pages behind a log-in, the access predicate from `sagstilsyn.core.access` that decides who sees it. A new
app's page is one more entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from sagstilsyn.core.access import (
    Scope,
    can_administer,
    can_download_committee_report,
    can_import,
    can_list_cases,
    can_review_access,
    can_view_deadlines,
    can_view_findings,
    can_view_jobs,
    can_view_own_findings,
    can_view_supervision,
    is_reviewer,
    user_scope,
)
from sagstilsyn.core.models import User


@dataclass(frozen=True)
class MenuItem:
    """A menu entry: its Danish label, the URL name of its page, and who sees it (None: everyone, also
    before log-in; a predicate: signed-in users whose scope it accepts)."""

    label: str
    url_name: str
    shown_to: Callable[[Scope], bool] | None = None


MENU: tuple[MenuItem, ...] = (
    MenuItem("Forside", "web:home"),
    MenuItem("Sager", "cases:case_list", can_list_cases),
    MenuItem("Ugens frister", "cases:followup", can_view_deadlines),
    MenuItem("Mine gennemgange", "reviews:mine", is_reviewer),
    MenuItem("Tilsyn", "reviews:programmes", can_view_supervision),
    MenuItem("Mine fund", "reviews:my_findings", can_view_own_findings),
    MenuItem("Fund", "reviews:findings", can_view_findings),
    MenuItem("Udvalgsrapport", "reports:committee_reports", can_download_committee_report),
    MenuItem("Indlæs", "cases:import_upload", can_import),
    MenuItem("Administration", "web:administration", can_administer),
    MenuItem("Planlagte job", "core:jobs", can_view_jobs),
    MenuItem("Usædvanlig adgang", "cases:unusual_access", can_review_access),
    MenuItem("Regelkatalog", "core:rules", lambda scope: True),  # whoever is logged in
)


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    active: bool


def menu_for(user: User | AnonymousUser | None, *, path: str) -> list[MenuLink]:
    """The entries `user` sees, each marked active when `path` is its page (the start page only on
    itself, any other page also on the pages below it)."""
    scope = user_scope(user) if user is not None and user.is_authenticated else None
    home = reverse("web:home")
    links = []
    for item in MENU:
        if item.shown_to is not None and (scope is None or not item.shown_to(scope)):
            continue
        url = reverse(item.url_name)
        active = path == url if url == home else path.startswith(url)
        links.append(MenuLink(label=item.label, url=url, active=active))
    return links
