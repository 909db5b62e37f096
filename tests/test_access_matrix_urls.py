"""The access matrix of every URL Django serves: each URL × every role (and anonymous, and a user without
roles) × own unit / other unit / other municipality, as the status code each gets.

`PAGES` is the matrix. `test_every_url_is_in_the_matrix` walks Django's URL resolver (the included
apps and the API too; there is no /admin/, ADR 0016) and fails on a URL the matrix does not name, so a
new page cannot ship without a decision on who may open it. test_access_matrix.py and
test_access_matrix_followup.py look deeper into the pages that show children: what is listed, CPR
masking and the access log.

Two rules hold on every URL (ADR 0017): an object outside the user's scope answers exactly as an object
that does not exist (404; 403 only where the role is refused before any object is looked up, the same
for every id), and every answer but the public Swagger files says `Cache-Control: no-store`.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.api.docs import ASSETS
from sagstilsyn.api.services import api_client_create
from sagstilsyn.cases.importing.jobs import import_job_start
from sagstilsyn.cases.models import Case, ImportJob, Obligation
from sagstilsyn.core.models import Municipality, Role, User
from sagstilsyn.core.services.organisation import user_create
from sagstilsyn.law import load_catalogue
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.calibration import (
    calibration_case_create,
    calibration_questions,
    calibration_review_start,
)
from sagstilsyn.reviews.models import CaseRepair, LearningPoint, Programme
from sagstilsyn.reviews.programmes.adhoc import AdhocRequest, adhoc_part_ensure, adhoc_sample_draw
from sagstilsyn.reviews.programmes.defaults import programme_default_ensure
from sagstilsyn.reviews.programmes.periods import Period
from sagstilsyn.reviews.services.learning import learning_points_refresh
from tests.factories import NO_CASES, VISIBLE, AccessWorld, make_user
from tests.reviews.findings_helpers import imported_repair

#: Who asks: every role, somebody not logged in, and a user of the municipality without any role.
ANONYMOUS = "anonymous"
NO_ROLES = "no_roles"
WHO: tuple[str, ...] = (*Role.values, ANONYMOUS, NO_ROLES)
#: Where the object of a URL lives: the user's own unit, another unit of the municipality, another
#: municipality (Lejre). `NOWHERE` for a URL that names no object.
OWN, OTHER, FOREIGN, NOWHERE = "own", "other", "foreign", ""
CASE_PLACES = (OWN, OTHER, FOREIGN)
#: An import job belongs to a municipality, not a unit.
JOB_PLACES = (OWN, FOREIGN)
#: An object that does not exist: its id is in no table.
MISSING = "missing"
MISSING_ID = 2_000_000_000

LOGIN = "/log-ind/"
CODE_PAGE = "/log-ind/kode/"
#: The case systems' API answers to its bearer keys only: a logged-in user's session does not count.
NO_KEY = 401


@dataclass
class World:
    """Copenhagen with the user's own unit (BFE-NORD) and another (BFE-SYD), Lejre with a unit of the
    same code; a placement case in each and an import job in each municipality (tests/conftest.py's
    `access_world`, built once for the module, with the user of the role asking)."""

    user: User | None
    cases: dict[str, int]
    import_jobs: dict[str, int]
    admin_objects: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Page:
    """One row of the matrix: how to reach the URL, and the status `expect(who, place)` each gets.

    `kwargs(world, place)` gives the URL's arguments for the object at `place`; an unnamed pattern gives
    its address through `address(world)` instead. A status of 302 means a redirect to `redirect` (the
    log-in page unless said otherwise)."""

    expect: Callable[[str, str], int]
    kwargs: Callable[[World, str], dict[str, object]] | None = None
    places: tuple[str, ...] = (NOWHERE,)
    method: str = "get"
    redirect: str = LOGIN
    address: Callable[[World], str] | None = None

    def url(self, name: str, world: World, place: str) -> str:
        if self.address is not None:
            return self.address(world)
        return reverse(name, kwargs=self.kwargs(world, place) if self.kwargs else None)


def everyone(status: int = 200) -> Callable[[str, str], int]:
    """Open to all, logged in or not (the landing and start page, the API docs)."""
    return lambda who, place: status


def signed_in(rule: Callable[[str, str], int]) -> Callable[[str, str], int]:
    """Anonymous users are sent to log in; everyone else gets `rule`."""
    return lambda who, place: 302 if who == ANONYMOUS else rule(who, place)


def only(*roles: str, denied: int = 403) -> Callable[[str, str], int]:
    """200 for users holding one of `roles`, `denied` for every other logged-in user."""
    return signed_in(lambda who, place: 200 if who in roles else denied)


def children_pages(hidden: int) -> Callable[[str, str], int]:
    """The pages of children's cases: 403 for udvalgsmedlemmer and users without roles; for the others
    200 when the case's unit is theirs to see (VISIBLE), else `hidden`."""

    def rule(who: str, place: str) -> int:
        if who in (*NO_CASES, NO_ROLES):
            return 403
        if place == NOWHERE:
            return 200
        return 200 if VISIBLE[who][CASE_PLACES.index(place)] else hidden

    return signed_in(rule)


def administrators_own(who: str, place: str) -> int:
    """The administrator's own municipality's import job; another municipality's does not exist."""
    if who != Role.ADMINISTRATOR:
        return 403
    return 200 if place == OWN else 404


#: Roles with the leader's views (every role held over units but sagsbehandler, and the roles over all
#: units); udvalgsmedlem and sagsbehandler alone are not leaders.
LEADERS = (
    Role.COORDINATOR,
    Role.DEPARTMENT_LEADER,
    Role.AREA_CHIEF,
    Role.AREA_LAWYER,
    Role.CENTRE_LAWYER,
    Role.CENTRAL_LAWYER,
    Role.ADMINISTRATOR,
)


def _case(world: World, place: str) -> dict[str, object]:
    return {"pk": world.cases.get(place, MISSING_ID)}


def _checklist(world: World, place: str) -> dict[str, object]:
    return {"case_id": world.cases.get(place, MISSING_ID)}


def _obligation(world: World, place: str) -> dict[str, object]:
    """An overdue obligation of the case at `place` (every case of the access world has one)."""
    case_id = world.cases.get(place, MISSING_ID)
    found = Obligation.objects.filter(case_id=case_id).order_by("pk").values_list("pk", flat=True).first()
    return {"obligation_id": found or MISSING_ID}


def _repair_at(world: World, place: str) -> CaseRepair | None:
    """The case repair of the case at `place`: a review of it imported with a Nej and its finding recorded,
    made the first time it is asked for (and the period's learning points counted)."""
    case_id = world.cases.get(place)
    if case_id is None:
        return None
    found = CaseRepair.objects.filter(case_id=case_id).first()
    if found is None:
        case = Case.objects.select_related("municipality").get(pk=case_id)
        reviewer = User.objects.filter(username=f"matrix-bedoemmer-{case.municipality.code}").first()
        if reviewer is None:
            reviewer = make_user(
                case.municipality, Role.CENTRE_LAWYER, username=f"matrix-bedoemmer-{case.municipality.code}"
            )
        found = imported_repair(case, reviewer)
        today = today_local()
        learning_points_refresh(
            municipality=case.municipality,
            period=Period("month", today.year, today.month),
            actor=None,
        )
    return found


def _repair(world: World, place: str) -> dict[str, object]:
    found = _repair_at(world, place)
    return {"repair_id": found.pk if found else MISSING_ID}


def _learning_point(world: World, place: str) -> dict[str, object]:
    found = _repair_at(world, place)
    point = (
        LearningPoint.objects.filter(unit_id=found.case.unit_id, findings__gt=0).first() if found else None
    )
    return {"point_id": point.pk if point else MISSING_ID}


def line_leaders_own(who: str, place: str) -> int:
    """A page of the units a line leader leads (faglig koordinator, afdelingsleder, områdechef): their
    own unit's object; another unit's does not exist to them; everyone else is refused before a look-up."""
    if who not in (Role.COORDINATOR, Role.DEPARTMENT_LEADER, Role.AREA_CHIEF):
        return 403
    return 200 if place == OWN else 404


def _import_job(world: World, place: str) -> dict[str, object]:
    return {"job_id": world.import_jobs.get(place, MISSING_ID)}


def _admin_object(kind: str, argument: str) -> Callable[[World, str], dict[str, object]]:
    """The URL arguments of an administration page's object (a unit, a person, an API client) at `place`."""
    return lambda world, place: {argument: world.admin_objects[kind].get(place, MISSING_ID)}


#: Who reads the review (a calibration review) of the case at each place: beyond their units' scope at the
#: other unit (the coordinator of the own unit), and the ekstern gennemgår, who opens no case page.
REVIEWERS = {OWN: Role.EXTERNAL_REVIEWER, OTHER: Role.COORDINATOR}
#: Roles that never open a review (udvalgsmedlem, databeskyttelsesrådgiver), and a user without roles.
NO_REVIEWS = (Role.COMMITTEE_MEMBER, Role.DATA_PROTECTION_OFFICER, NO_ROLES)
#: The roles given reviews to read (`REVIEWER_ROLES`), and the administrator, on the calibration page.
CALIBRATORS = (*LEADERS, Role.EXTERNAL_REVIEWER)


def review_pages(*, readers: bool) -> Callable[[str, str], int]:
    """A review's pages (ADR 0028): 403 for the roles that never open one; 200 for its reviewer and, when
    `readers`, for a leader or lawyer who sees the case's unit; 404 for everyone else."""

    def rule(who: str, place: str) -> int:
        if who in NO_REVIEWS:
            return 403
        if place == FOREIGN:
            return 404
        if REVIEWERS.get(place) == who:
            return 200
        visible = who in LEADERS and VISIBLE[who][CASE_PLACES.index(place)]
        return 200 if readers and visible else 404

    return signed_in(rule)


def _review(world: World, place: str) -> dict[str, object]:
    return {"review_id": world.admin_objects["review"].get(place, MISSING_ID)}


def _sample_pages(roles: tuple[str, ...]) -> Callable[[str, str], int]:
    """A sample's pages: 403 for roles other than `roles`; for them 200 where the sample's case is in a
    unit they see, else 404 (not revealed)."""

    def rule(who: str, place: str) -> int:
        if who not in roles:
            return 403
        return 200 if VISIBLE[who][CASE_PLACES.index(place)] else 404

    return rule


def _rule(world: World, place: str) -> dict[str, object]:
    return {"rule_id": load_catalogue().rules[0].id}


#: URL name (or the route of an unnamed pattern) → who may open it.
PAGES: dict[str, Page] = {
    # web: the start page and its unit table's export.
    "web:home": Page(expect=everyone()),
    "web:units_xlsx": Page(expect=only(*LEADERS)),
    # core: log-in and log-out, the planlagte job, the rules.
    # A user already logged in is sent on to the start page.
    "core:login": Page(expect=lambda who, place: 200 if who == ANONYMOUS else 302, redirect="/"),
    "core:logout": Page(expect=everyone(302), method="post"),
    # The second factor's code page (set up a code app, or give its code): whoever is logged in.
    "core:otp": Page(expect=signed_in(lambda who, place: 200)),
    # Single sign-on is off unless configured (tests/core/test_sso.py turns it on).
    "core:sso_login": Page(expect=everyone(404)),
    "core:sso_callback": Page(expect=everyone(404)),
    "core:jobs": Page(expect=only(Role.ADMINISTRATOR)),
    "core:job_runs_xlsx": Page(expect=only(Role.ADMINISTRATOR)),
    # The rule catalogue: whoever is logged in (issue 12), as every other page.
    "core:rules": Page(expect=signed_in(lambda who, place: 200)),
    "core:catalogue_xlsx": Page(expect=signed_in(lambda who, place: 200)),
    "core:rule": Page(expect=signed_in(lambda who, place: 200), kwargs=_rule),
    # The administrator's pages (ADR 0022): their own municipality's units, staff and API clients;
    # another municipality's do not exist.
    "web:administration": Page(expect=only(Role.ADMINISTRATOR)),
    "core:unit_list": Page(expect=only(Role.ADMINISTRATOR)),
    "core:unit_list_xlsx": Page(expect=only(Role.ADMINISTRATOR)),
    "core:unit_edit": Page(
        expect=signed_in(administrators_own), kwargs=_admin_object("unit", "unit_id"), places=JOB_PLACES
    ),
    "core:staff_list": Page(expect=only(Role.ADMINISTRATOR)),
    "core:staff_list_xlsx": Page(expect=only(Role.ADMINISTRATOR)),
    "core:staff_detail": Page(
        expect=signed_in(administrators_own), kwargs=_admin_object("user", "user_id"), places=JOB_PLACES
    ),
    "admin-api:clients": Page(expect=only(Role.ADMINISTRATOR)),
    "admin-api:clients_xlsx": Page(expect=only(Role.ADMINISTRATOR)),
    "admin-api:client_revoke": Page(
        expect=signed_in(administrators_own),
        kwargs=_admin_object("api_client", "client_id"),
        places=JOB_PLACES,
        method="post",
    ),
    "cases:import_columns": Page(expect=only(Role.ADMINISTRATOR)),
    # cases: the case list, its export and the case page (another unit's case is 404: not revealed).
    "cases:case_list": Page(expect=children_pages(hidden=404)),
    "cases:case_list_xlsx": Page(expect=children_pages(hidden=404)),
    # POST with a CPR number (here none): only the roles that see CPR numbers.
    "cases:case_search_cpr": Page(expect=only(Role.CASEWORKER, Role.COORDINATOR), method="post"),
    "cases:case_detail": Page(expect=children_pages(hidden=404), kwargs=_case, places=CASE_PLACES),
    # cases: ugens frister and the oversigtsskema (a case outside the user's units is 404 here too).
    "cases:followup": Page(expect=children_pages(hidden=404)),
    "cases:followup_xlsx": Page(expect=children_pages(hidden=404)),
    "cases:checklist": Page(expect=children_pages(hidden=404), kwargs=_checklist, places=CASE_PLACES),
    "cases:checklist_print": Page(expect=children_pages(hidden=404), kwargs=_checklist, places=CASE_PLACES),
    # cases: an overrun deadline's begrundelse (read by all who may open the case; written by its unit).
    "cases:overrun_reason": Page(expect=children_pages(hidden=404), kwargs=_obligation, places=CASE_PLACES),
    # cases: the upload page and its jobs (administrators, their own municipality).
    "cases:import_upload": Page(expect=only(Role.ADMINISTRATOR)),
    "cases:import_job": Page(expect=signed_in(administrators_own), kwargs=_import_job, places=JOB_PLACES),
    "cases:import_job_status": Page(
        expect=signed_in(administrators_own), kwargs=_import_job, places=JOB_PLACES
    ),
    "cases:import_job_report": Page(
        expect=signed_in(administrators_own), kwargs=_import_job, places=JOB_PLACES
    ),
    # cases: the databeskyttelsesrådgiver's page Usædvanlig adgang and its export.
    "cases:unusual_access": Page(expect=only(Role.DATA_PROTECTION_OFFICER)),
    "cases:unusual_access_xlsx": Page(expect=only(Role.DATA_PROTECTION_OFFICER)),
    # reviews: findings, case repairs, learning points and action plans (issue 13 §5): the leaders' lists
    # of their units, the caseworker's own findings, a repair's page for whoever sees its case, and the
    # action plan form for the line leaders of the learning point's unit.
    "reviews:findings": Page(expect=only(*LEADERS)),
    "reviews:findings_xlsx": Page(expect=only(*LEADERS)),
    "reviews:my_findings": Page(expect=only(Role.CASEWORKER)),
    "reviews:my_findings_xlsx": Page(expect=only(Role.CASEWORKER)),
    "reviews:repair": Page(expect=children_pages(hidden=404), kwargs=_repair, places=CASE_PLACES),
    "reviews:learning_points": Page(expect=only(*LEADERS)),
    "reviews:learning_points_xlsx": Page(expect=only(*LEADERS)),
    "reviews:action_plan_new": Page(
        expect=signed_in(line_leaders_own), kwargs=_learning_point, places=CASE_PLACES
    ),
    "reviews:action_plans": Page(expect=only(*LEADERS)),
    "reviews:action_plans_xlsx": Page(expect=only(*LEADERS)),
    # The API for case systems: open documentation and health, everything else needs a key.
    # reviews: the reviewer's pages (ADR 0028). A review is opened by its reviewer, beyond their units,
    # and read by the leaders and lawyers who see its case's unit; only its reviewer answers it. There is
    # no level 2 in the world: the comparison is missing for all who may open reviews.
    "reviews:mine": Page(expect=signed_in(lambda who, place: 403 if who in NO_REVIEWS else 200)),
    "reviews:review": Page(expect=review_pages(readers=True), kwargs=_review, places=CASE_PLACES),
    "reviews:answer": Page(
        expect=review_pages(readers=False), kwargs=_review, places=CASE_PLACES, method="post"
    ),
    "reviews:comparison": Page(
        expect=signed_in(lambda who, place: 403 if who in NO_REVIEWS else 404),
        kwargs=_review,
        places=CASE_PLACES,
    ),
    "reviews:calibration": Page(expect=only(*CALIBRATORS)),
    "reviews:calibration_new": Page(expect=only(Role.ADMINISTRATOR)),
    # reviews: the programme overview (tilsyn) and its downloads: leaders and lawyers.
    "reviews:programmes": Page(expect=only(*LEADERS)),
    # reports: the sample-size planner (no personal data): leaders and lawyers, as the programme pages.
    "reports:sample_size": Page(expect=only(*LEADERS)),
    # reports: the compliance dashboards (ADR 0038): leaders and lawyers (their units) and udvalgsmedlemmer
    # (the municipality's aggregates); the one-click plan without a unit of the reader's is missing; the
    # målsætning is the administrator's.
    "reports:dashboard": Page(expect=only(*LEADERS, Role.COMMITTEE_MEMBER)),
    "reports:requirement": Page(
        expect=only(*LEADERS, Role.COMMITTEE_MEMBER),
        kwargs=lambda w, p: {"requirement": "investigation_deadline"},
    ),
    "reports:risk_plan": Page(
        expect=signed_in(lambda who, place: 404 if who in (*LEADERS, Role.COMMITTEE_MEMBER) else 403),
        method="post",
    ),
    "reports:standard": Page(expect=only(Role.ADMINISTRATOR)),
    # reports: the committee report (aggregates only, suppressed): leaders, lawyers and committee members.
    "reports:committee_report": Page(expect=only(*LEADERS, Role.COMMITTEE_MEMBER)),
    "reports:committee_reports": Page(expect=only(*LEADERS, Role.COMMITTEE_MEMBER)),
    "reviews:programmes_parts_xlsx": Page(expect=only(*LEADERS)),
    "reviews:programmes_reviewers_xlsx": Page(expect=only(*LEADERS)),
    # Starting a period, an ad hoc sample, a part's changes: administrators, their own municipality.
    "reviews:period_start": Page(expect=only(Role.ADMINISTRATOR)),
    "reviews:adhoc_new": Page(expect=only(Role.ADMINISTRATOR)),
    "reviews:part_edit": Page(
        expect=signed_in(administrators_own), kwargs=_admin_object("part", "part_id"), places=JOB_PLACES
    ),
    # A sample (an external audit of one unit's case in each place): leaders who see the unit.
    "reviews:sample_detail": Page(
        expect=signed_in(_sample_pages(LEADERS)),
        kwargs=_admin_object("sample", "sample_id"),
        places=CASE_PLACES,
    ),
    "reviews:sample_rows_xlsx": Page(
        expect=signed_in(_sample_pages(LEADERS)),
        kwargs=_admin_object("sample", "sample_id"),
        places=CASE_PLACES,
    ),
    # Hand-picking and closing (here without the form's values: the page again, nothing written).
    "reviews:sample_hand_pick": Page(
        expect=signed_in(_sample_pages((Role.ADMINISTRATOR,))),
        kwargs=_admin_object("sample", "sample_id"),
        places=CASE_PLACES,
        method="post",
    ),
    "reviews:sample_close": Page(
        expect=signed_in(_sample_pages((Role.ADMINISTRATOR,))),
        kwargs=_admin_object("sample", "sample_id"),
        places=CASE_PLACES,
        method="post",
    ),
    "api-docs-asset": Page(expect=everyone(), kwargs=lambda w, p: {"name": sorted(ASSETS)[0]}),
    "api-v1:openapi-json": Page(expect=everyone()),
    "api-v1:openapi-view": Page(expect=everyone()),
    "api-v1:api-root": Page(expect=everyone(404)),
    "api-v1:health": Page(expect=everyone()),
    "api-v1:events_post": Page(expect=everyone(NO_KEY), method="post"),
    "api-v1:event_get": Page(expect=everyone(NO_KEY), kwargs=lambda w, p: {"event_id": "H-1"}),
}


# --- walking the URL resolver ---------------------------------------------------------------------


def served_urls() -> set[str]:
    """Every URL pattern Django serves by the current ROOT_URLCONF, included ones too: its namespaced
    name (`cases:case_detail`), or its full route when it has no name."""

    def walk(resolver: URLResolver, namespaces: tuple[str, ...], prefix: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern, inner, route)
            elif isinstance(pattern, URLPattern):
                yield ":".join((*namespaces, pattern.name)) if pattern.name else route

    return set(walk(get_resolver(), (), ""))


def urls_missing_from_matrix() -> list[str]:
    """The URLs Django serves that the matrix does not name."""
    return sorted(served_urls() - set(PAGES))


def test_every_url_is_in_the_matrix() -> None:
    missing = urls_missing_from_matrix()
    assert not missing, f"Adgangsmatricen (PAGES) mangler: {', '.join(missing)}"


def test_the_matrix_names_no_url_that_is_gone() -> None:
    assert not sorted(set(PAGES) - served_urls())


def _new_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ny side")


#: The project's URLs and one page nobody has put in the matrix, nested in an included namespace.
_WITH_A_NEW_PAGE = types.ModuleType("urls_with_a_new_page")
_WITH_A_NEW_PAGE.urlpatterns = [  # type: ignore[attr-defined]
    path("", include("sagstilsyn.urls")),
    path("ny/", include(([path("side/", _new_page, name="page")], "new"))),
    path("uden-navn/", _new_page),
]


def test_a_url_missing_from_the_matrix_is_found() -> None:
    with override_settings(ROOT_URLCONF=_WITH_A_NEW_PAGE):
        missing = urls_missing_from_matrix()
    assert missing == ["new:page", "uden-navn/"]
    assert not urls_missing_from_matrix()


# --- the matrix itself ------------------------------------------------------------------------------


def _world(
    who: str, base: AccessWorld, import_jobs: dict[str, int], admin_objects: dict[str, dict[str, int]]
) -> World:
    user: User | None = None
    if who == NO_ROLES:
        user = user_create(municipality=base.copenhagen, username="ingen-roller")
    elif who != ANONYMOUS:
        user = base.users[who]
    return World(
        user=user,
        cases={place: case.pk for place, case in base.cases.items()},
        import_jobs=import_jobs,
        admin_objects=admin_objects,
    )


@pytest.fixture(scope="module")
def import_jobs(access_world: AccessWorld, module_db: DjangoDbBlocker) -> dict[str, int]:
    """An import job in each municipality of the access world, made once for the module."""
    with module_db.unblock(), override_settings(IMPORT_INLINE=True):
        return {
            place: _import_job_in(municipality).pk
            for place, municipality in ((OWN, access_world.copenhagen), (FOREIGN, access_world.lejre))
        }


@pytest.fixture(scope="module")
def admin_objects(access_world: AccessWorld, module_db: DjangoDbBlocker) -> dict[str, dict[str, int]]:
    """The administration pages' objects in each municipality: a unit, a person and an API client."""
    with module_db.unblock():
        clients = {
            place: api_client_create(municipality=municipality, source="DUBU", actor=None)[0].pk
            for place, municipality in ((OWN, access_world.copenhagen), (FOREIGN, access_world.lejre))
        }
        lejre_person = user_create(municipality=access_world.lejre, username="lejre-medarbejder")
        reviews = _reviews_in(access_world)
        samples = _audit_samples(access_world)
        parts = {
            place: adhoc_part_ensure(municipality, "ekstern").pk
            for place, municipality in ((OWN, access_world.copenhagen), (FOREIGN, access_world.lejre))
        }
    return {
        "sample": samples,
        "part": parts,
        "unit": {OWN: access_world.units[OWN].pk, FOREIGN: access_world.units[FOREIGN].pk},
        "user": {OWN: access_world.users[Role.CASEWORKER].pk, FOREIGN: lejre_person.pk},
        "api_client": clients,
        "review": reviews,
    }


def _reviews_in(world: AccessWorld) -> dict[str, int]:
    """A review of the case at each place (a calibration review, made through the services), read by
    `REVIEWERS` (in Lejre by a Lejre centre lawyer)."""
    found: dict[str, int] = {}
    lejre_lawyer = make_user(world.lejre, Role.CENTRE_LAWYER, username="lejre-jurist")
    for place, case in world.cases.items():
        municipality = case.municipality
        programme_default_ensure(municipality)
        programme = Programme.objects.filter(municipality=municipality).order_by("code").first()
        assert programme is not None
        admin = world.users[Role.ADMINISTRATOR] if place != FOREIGN else lejre_lawyer
        questions = calibration_questions(case, "monthly_case_review", 1)
        calibration = calibration_case_create(
            programme=programme,
            case=case,
            questionnaire="monthly_case_review",
            version=1,
            answer_key={q.id: q.answers[0] for q in questions},
            actor=admin,
        )
        reviewer = world.users[REVIEWERS[place]] if place in REVIEWERS else lejre_lawyer
        found[place] = calibration_review_start(
            calibration_case=calibration, reviewer=reviewer, actor=None
        ).pk
    return found


def _audit_samples(world: AccessWorld) -> dict[str, int]:
    """An external audit of each place's unit (its one case), by an external reviewer of its municipality."""
    found: dict[str, int] = {}
    for place, unit in world.units.items():
        municipality = unit.municipality
        auditor = make_user(
            municipality, Role.EXTERNAL_REVIEWER, username=f"revisor-{municipality.code}-{place}"
        )
        admin = make_user(municipality, Role.ADMINISTRATOR, username=f"tilsyn-{municipality.code}-{place}")
        request = AdhocRequest(
            kind="ekstern",
            units=[unit],
            size=1,
            closes_on=today_local() + timedelta(days=7),
            reviewer=auditor,
        )
        found[place] = adhoc_sample_draw(municipality=municipality, request=request, actor=admin).pk
    return found


def _import_job_in(municipality: Municipality) -> ImportJob:
    admin = make_user(municipality, Role.ADMINISTRATOR, username=f"indlaeser-{municipality.code}")
    return import_job_start(
        municipality=municipality, actor=admin, data=b"", filename="tom.csv", dry_run=True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_access_matrix_of_every_url(
    client: Client,
    who: str,
    settings: SettingsWrapper,
    access_world: AccessWorld,
    import_jobs: dict[str, int],
    admin_objects: dict[str, dict[str, int]],
) -> None:
    settings.IMPORT_INLINE = True
    world = _world(who, access_world, import_jobs, admin_objects)
    wrong: list[str] = []
    for name, page in PAGES.items():
        for place in page.places:
            if world.user is not None:
                client.force_login(world.user)  # again: the log-out rows end the session
            response = getattr(client, page.method)(page.url(name, world, place))
            expected = page.expect(who, place)
            if not _no_store(response) and name not in PUBLIC_FILES:
                wrong.append(f"{name} ({place or '-'}): Cache-Control {response.get('Cache-Control')!r}")
            if response.status_code != expected:
                wrong.append(f"{name} ({place or '-'}): {response.status_code}, ventede {expected}")
            elif expected == 302 and urlsplit(response["Location"]).path != page.redirect:
                wrong.append(f"{name} ({place or '-'}): sendt til {response['Location']}")
    assert not wrong, "\n".join(wrong)


#: What a leader who logged in with a password but has not given the code gets, where it is not the code
#: page: the pages open before the code answer as always; the API answers to its keys only.
OPEN_BEFORE_CODE = ("core:otp", "core:logout")


@pytest.mark.django_db
@pytest.mark.usefixtures("otp_required")
@pytest.mark.parametrize("who", sorted((*LEADERS, Role.DATA_PROTECTION_OFFICER, Role.EXTERNAL_REVIEWER)))
def test_every_url_waits_for_a_leaders_code(
    client: Client,
    who: str,
    access_world: AccessWorld,
    import_jobs: dict[str, int],
    admin_objects: dict[str, dict[str, int]],
) -> None:
    """With the second factor demanded (ADR 0016), a leader logged in with a password and no code yet is
    sent to the code page from every URL but the code page, log-out and the API."""
    world = _world(who, access_world, import_jobs, admin_objects)
    assert world.user is not None
    wrong: list[str] = []
    for name, page in PAGES.items():
        for place in page.places:
            client.force_login(world.user)
            response = getattr(client, page.method)(page.url(name, world, place))
            if name in OPEN_BEFORE_CODE or name.startswith("api"):
                expected = page.expect(who, place)
                if response.status_code != expected:
                    wrong.append(f"{name} ({place or '-'}): {response.status_code}, ventede {expected}")
            elif response.status_code != 302 or urlsplit(response["Location"]).path != CODE_PAGE:
                wrong.append(f"{name} ({place or '-'}): {response.status_code}, ventede kodesiden")
    assert not wrong, "\n".join(wrong)


#: The only answers a browser may keep: Swagger UI's fixed files, the same for everyone.
PUBLIC_FILES = frozenset({"api-docs-asset"})


def _no_store(response: HttpResponse) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and response.get("Pragma") == "no-cache"


#: The URLs that name an object (a case, an import job).
OBJECT_PAGES = {name: page for name, page in PAGES.items() if page.places != (NOWHERE,)}


def test_there_are_object_urls_to_check() -> None:
    assert {"cases:case_detail", "cases:checklist", "cases:import_job"} <= set(OBJECT_PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_an_object_outside_the_scope_is_not_revealed(
    client: Client,
    who: str,
    settings: SettingsWrapper,
    access_world: AccessWorld,
    import_jobs: dict[str, int],
    admin_objects: dict[str, dict[str, int]],
) -> None:
    """On every URL naming an object, an object outside the user's scope gets the answer of an object
    that does not exist (404). 403 is left only where the role is refused before any look-up: then the
    user's own objects get 403 too, and the answer says nothing about the object."""
    settings.IMPORT_INLINE = True
    world = _world(who, access_world, import_jobs, admin_objects)
    wrong: list[str] = []
    for name, page in OBJECT_PAGES.items():
        answers: dict[str, int] = {}
        for place in (*page.places, MISSING):
            if world.user is not None:
                client.force_login(world.user)
            answers[place] = getattr(client, page.method)(page.url(name, world, place)).status_code
        for place in page.places:
            if page.expect(who, place) == 200:
                continue  # in scope: the matrix test pins the 200
            if answers[place] != answers[MISSING]:
                wrong.append(f"{name} ({place}): {answers[place]}, men {answers[MISSING]} for en ukendt")
            if answers[place] == 403 and answers[OWN] != 403:
                wrong.append(f"{name} ({place}): 403 for et objekt uden for brugerens område")
    assert not wrong, "\n".join(wrong)
