"""Core pages: log-in with a password (its second factor and single sign-on are in `core/login/`) and the
rule catalogue (the list, one rule in full, and the catalogue as XLSX).
The start page is the site shell's (`sagstilsyn.web`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sagstilsyn.core.access import user_scope
from sagstilsyn.core.cpr import CPR_IN_TEXT, contains_cpr, redact
from sagstilsyn.core.exports import export_title, xlsx_response
from sagstilsyn.core.login.sso import sso_enabled
from sagstilsyn.core.selectors import (
    catalogue_export_rows,
    catalogue_overview,
    export_scope_label,
    rule_detail,
)
from sagstilsyn.law.calendar import today_local


def _username_without_cpr(form: AuthenticationForm) -> str:
    """The user name, or a Danish refusal when it holds a CPR number: before anything is looked up or
    recorded (django-axes keeps failed log-ins' user names). The field is shown again masked."""
    username = str(form.cleaned_data.get("username") or "")
    if contains_cpr(username):
        form.data = {**form.data, "username": redact(username)}
        raise forms.ValidationError(f"Brugernavnet {CPR_IN_TEXT}.", code="cpr")
    return username


class LoginForm(AuthenticationForm):
    """Django's log-in form, refusing a user name that holds a CPR number."""

    def clean_username(self) -> str:
        return _username_without_cpr(self)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        """The page to go on to, unless its address holds a CPR number (then the start page)."""
        url = super().get_redirect_url()  # Django reads self.request; the stubs name an argument
        return "" if contains_cpr(url) else url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The password form, and "Log ind med kommunens login" when single sign-on is set up."""
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        return context


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: object
) -> HttpResponse:
    """The page django-axes shows a locked-out log-in (spærret log-ind), in Danish, with status 429."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "core/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/rule_list.html", {"overview": catalogue_overview()})


@login_required
def rule_page(request: HttpRequest, rule_id: str) -> HttpResponse:
    rule = rule_detail(rule_id=rule_id)
    if rule is None:
        raise Http404("Reglen findes ikke i regelkataloget.")
    return render(request, "core/rule_detail.html", {"rule": rule})


@login_required
def catalogue_xlsx(request: HttpRequest) -> HttpResponse:
    headers, rows = catalogue_export_rows()
    stamp = today_local().isoformat()
    return xlsx_response(
        filename=f"regelkatalog-{stamp}.xlsx",
        title=export_title("Regelkatalog", export_scope_label(user_scope(request.user))),
        sheet_title="Regelkatalog",
        headers=headers,
        rows=rows,
    )
