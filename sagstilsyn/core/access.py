"""Who may see what (adgangsstyring): predicates over a user's roles and units, in one place.

- Roles held in a unit (sagsbehandler, faglig koordinator, afdelingsleder, områdechef, områdejurist)
  see the cases of their own units.
- Centerjurist, central jurist and administrator see every unit of their municipality.
- Udvalgsmedlem (committee member) sees aggregates only: never a child or a case.
- Databeskyttelsesrådgiver (data protection officer) sees who read which case (the access log's unusual
  access, by case number and staff user name) and the check of the audit chain, never a child's case.
- Ekstern gennemgår (external reviewer, e.g. an auditor) sees only the cases of the reviews assigned to
  them, on the review pages, and only until the review's sample is closed; never the case pages (ADR 0028).
- A reviewer (bedømmer) opens the reviews assigned to them beyond their units' scope; leaders and lawyers
  who see the case's unit open them read-only (ADR 0028).
- Nobody sees another municipality's data. A user without roles sees nothing.

Views, selectors, template tags and jobs ask these predicates by name (`can_list_cases(scope)`,
`leads_units(scope)`) and never look at a scope's roles themselves; a test reads the code for it.
Each page's answer per role and unit is pinned by the access matrix (tests/test_access_matrix*.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from sagstilsyn.core.models import MUNICIPALITY_ROLES, Role, RoleAssignment, User

#: Roles that see every unit in their municipality.
ALL_UNIT_ROLES = frozenset({Role.CENTRE_LAWYER, Role.CENTRAL_LAWYER, Role.ADMINISTRATOR})
#: Roles that lead units and get the leader's views (weekly follow-up across their units).
LEADER_ROLES = frozenset(
    {Role.COORDINATOR, Role.DEPARTMENT_LEADER, Role.AREA_CHIEF, Role.AREA_LAWYER, *ALL_UNIT_ROLES}
)
#: Roles that never open a child's case: udvalgsmedlem (aggregates), databeskyttelsesrådgiver (the
#: access log, by case number), and the ekstern gennemgår (ADR 0027, 0028): an external auditor sees
#: only the cases of their audit, on the review pages of the reviews assigned to them (`can_open_review`);
#: the case pages stay closed to them.
NO_CASE_ROLES = frozenset({Role.COMMITTEE_MEMBER, Role.DATA_PROTECTION_OFFICER, Role.EXTERNAL_REVIEWER})
#: Roles whose local (password) log-in needs a second factor, a code from a code app (TOTP): the leaders,
#: lawyers and administrators (ADR 0016), and the databeskyttelsesrådgiver, who sees who read which case
#: (ADR 0018), and the ekstern gennemgår, who reads the cases of their reviews (ADR 0028). Sagsbehandlere
#: and udvalgsmedlemmer may choose one.
SECOND_FACTOR_ROLES = LEADER_ROLES | {Role.DATA_PROTECTION_OFFICER, Role.EXTERNAL_REVIEWER}
#: Roles whose work needs the child's full CPR number; everyone else sees it masked.
CPR_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR})
#: Roles that hold the monthly case review with the caseworkers and sign off the oversigtsskema there
#: (seed 001: "afdelingsledere og faglige koordinatorer ... månedlige sagsgennemgange").
CHECKLIST_SIGN_OFF_ROLES = frozenset({Role.COORDINATOR, Role.DEPARTMENT_LEADER})
#: The unit's line leaders (faglig koordinator, afdelingsleder, områdechef): they acknowledge a
#: begrundelse for overskridelse in the units they lead.
LINE_LEADER_ROLES = frozenset({Role.COORDINATOR, Role.DEPARTMENT_LEADER, Role.AREA_CHIEF})
#: Roles that work a unit's cases and so give the reason for an overrun: the sagsbehandler and the
#: line leaders.
OVERRUN_REASON_ROLES = LINE_LEADER_ROLES | {Role.CASEWORKER}


@dataclass(frozen=True)
class Scope:
    """What one user may see: their municipality, roles and units."""

    user_id: int | None
    municipality_id: int | None
    roles: frozenset[str]
    unit_ids: frozenset[int]
    all_units: bool
    #: (role, unit id) of each role held in a unit, for the predicates that depend on the role held in
    #: that very unit (a sagsbehandler in one unit who leads another acknowledges only in the other).
    unit_roles: frozenset[tuple[str, int]] = frozenset()

    @property
    def sees_children(self) -> bool:
        """True when at least one role may open a child's case (committee members alone may not)."""
        return bool(self.roles - NO_CASE_ROLES)


NO_SCOPE = Scope(None, None, frozenset(), frozenset(), False)


def _scope(user_id: int, municipality_id: int, assignments: list[tuple[str, int | None]]) -> Scope:
    roles = frozenset(role for role, _ in assignments)
    units = frozenset(unit_id for _, unit_id in assignments if unit_id is not None)
    unit_roles = frozenset((role, unit_id) for role, unit_id in assignments if unit_id is not None)
    return Scope(user_id, municipality_id, roles, units, bool(roles & ALL_UNIT_ROLES), unit_roles)


def user_scope(user: User | AnonymousUser | None) -> Scope:
    """The access scope of `user`, read from its role assignments."""
    if (
        user is None
        or not user.is_authenticated
        or not isinstance(user, User)
        or user.municipality_id is None
    ):
        return NO_SCOPE
    assignments = RoleAssignment.objects.filter(user=user, municipality_id=user.municipality_id).values_list(
        "role", "unit_id"
    )
    return _scope(user.pk, user.municipality_id, list(assignments))


def user_scopes(*, municipality_id: int, user_ids: list[int]) -> dict[int, Scope]:
    """The scopes of many users of one municipality at once (one query), by user id."""
    found: dict[int, list[tuple[str, int | None]]] = {user_id: [] for user_id in user_ids}
    for user_id, role, unit_id in RoleAssignment.objects.filter(
        municipality_id=municipality_id, user_id__in=sorted(found), user__municipality_id=municipality_id
    ).values_list("user_id", "role", "unit_id"):
        found[user_id].append((role, unit_id))
    return {user_id: _scope(user_id, municipality_id, roles) for user_id, roles in found.items()}


def can_view_unit(scope: Scope, *, municipality_id: int, unit_id: int) -> bool:
    """May see the cases (and deadline lists) of this unit."""
    if not scope.sees_children or scope.municipality_id != municipality_id:
        return False
    return scope.all_units or unit_id in scope.unit_ids


def can_view_case(scope: Scope, *, municipality_id: int, unit_id: int) -> bool:
    """May open a child's case: the case's unit must be visible to the user."""
    return can_view_unit(scope, municipality_id=municipality_id, unit_id=unit_id)


def can_list_cases(scope: Scope) -> bool:
    """May open the case list, case pages and their exports (every role but udvalgsmedlem alone)."""
    return scope.sees_children and scope.municipality_id is not None


def cases_filter(scope: Scope) -> Q:
    """The cases `scope` may open, as a filter on Case: the queryset form of `can_view_case`."""
    if not can_list_cases(scope):
        return Q(pk__in=[])
    visible = Q(municipality_id=scope.municipality_id)
    if not scope.all_units:
        visible &= Q(unit_id__in=sorted(scope.unit_ids))
    return visible


def visible_units_filter(scope: Scope) -> Q:
    """The units whose cases `scope` may see, as a filter on Unit (the queryset form of can_view_unit)."""
    if not can_list_cases(scope):
        return Q(pk__in=[])
    visible = Q(municipality_id=scope.municipality_id)
    if not scope.all_units:
        visible &= Q(pk__in=sorted(scope.unit_ids))
    return visible


def has_any_role(scope: Scope) -> bool:
    """Holds at least one role in their municipality. A user without roles sees nothing but the start
    page's notice to ask the administrator for access."""
    return bool(scope.roles)


def can_view_own_caseload(scope: Scope) -> bool:
    """Has a caseload of their own (sagsbehandler): the start page's "Mine sager"."""
    return Role.CASEWORKER in scope.roles


def leads_units(scope: Scope) -> bool:
    """Gets the leader's views: faglig koordinator, afdelingsleder, områdechef and områdejurist over
    their units, centerjurist, central jurist and administrator over every unit. Leaders open the
    weekly follow-up on all their units (a sagsbehandler on their own cases) and get the weekly mail."""
    return bool(scope.roles & LEADER_ROLES)


def leader_assignments_filter() -> Q:
    """The role assignments that make their holder a leader, as a filter on RoleAssignment: the
    queryset form of `leads_units`, used to find the recipients of the ugentlig fristmail."""
    return Q(role__in=sorted(LEADER_ROLES))


#: Who may read a sampled case under a programme part's reviewer rule (ledelsestilsyn, ADR 0026).
SAMPLE_REVIEWER_ROLES: dict[str, frozenset[str]] = {
    "unit_leader": frozenset({Role.COORDINATOR, Role.DEPARTMENT_LEADER}),
    "area": frozenset({Role.AREA_CHIEF, Role.AREA_LAWYER}),
    "centre_lawyers": frozenset({Role.CENTRE_LAWYER}),
    "exchange": frozenset({Role.COORDINATOR, Role.DEPARTMENT_LEADER}),
}


def sample_reviewer_assignments_filter(rule: str) -> Q:
    """The role assignments whose holder may be given a sampled case to read under `rule` (a reviewer
    rule of a programme part), as a filter on RoleAssignment; nothing for an unknown rule."""
    return Q(role__in=sorted(SAMPLE_REVIEWER_ROLES.get(rule, frozenset())))


#: Who re-reads a case at level 2 (fornyet gennemgang): the central lawyers (seed 000: the central
#: jurists re-review half of the centre lawyers' cases).
LEVEL2_REVIEWER_ROLES = frozenset({Role.CENTRAL_LAWYER})
#: Who resolves a disagreement between level 1 and level 2 (afgør uenighed): centre and central lawyers.
DISAGREEMENT_RESOLVER_ROLES = frozenset({Role.CENTRE_LAWYER, Role.CENTRAL_LAWYER})


def level2_reviewer_assignments_filter() -> Q:
    """The role assignments whose holder may be given a level-2 re-read, as a filter on RoleAssignment."""
    return Q(role__in=sorted(LEVEL2_REVIEWER_ROLES))


#: Who may be given reviews to read (bedømmere): the programme parts' reviewer rules, the level-2
#: reviewers and the ekstern gennemgår. They get the menu's "Mine gennemgange" and the calibration page.
REVIEWER_ROLES = frozenset(
    {*(role for roles in SAMPLE_REVIEWER_ROLES.values() for role in roles), *LEVEL2_REVIEWER_ROLES}
    | {Role.CENTRE_LAWYER, Role.EXTERNAL_REVIEWER}
)
#: Roles that never open a review (gennemgang): udvalgsmedlem (aggregates only) and
#: databeskyttelsesrådgiver (the access log).
NO_REVIEW_ROLES = frozenset({Role.COMMITTEE_MEMBER, Role.DATA_PROTECTION_OFFICER})


def can_open_reviews(scope: Scope) -> bool:
    """May open the review pages at all (Mine gennemgange, a review, its comparison): every role but
    udvalgsmedlem and databeskyttelsesrådgiver; which reviews is `can_open_review`'s question."""
    return scope.municipality_id is not None and bool(scope.roles - NO_REVIEW_ROLES)


def is_reviewer(scope: Scope) -> bool:
    """Holds a role that is given reviews to read (`REVIEWER_ROLES`): the menu's "Mine gennemgange"
    and the calibration page (kalibrering)."""
    return scope.municipality_id is not None and bool(scope.roles & REVIEWER_ROLES)


def can_open_review(
    scope: Scope,
    *,
    municipality_id: int,
    unit_id: int,
    reviewer_id: int,
    sample_closed: bool,
    blind: bool = False,
) -> bool:
    """May open one review (gennemgang) and the case facts it shows (ADR 0028):

    - its reviewer, beyond their units' scope; an ekstern gennemgår (who reads no case pages) only
      until the review's sample is closed (`sample_closed`);
    - read-only, a leader or lawyer who may see the case's unit (`leads_units`, `can_view_case`);
    - nobody who re-reads the case blind at level 2 and has not handed in yet (`blind`), and nobody
      of another municipality, and never an udvalgsmedlem or databeskyttelsesrådgiver."""
    if blind or not can_open_reviews(scope) or scope.municipality_id != municipality_id:
        return False
    if reviewer_id == scope.user_id:
        return scope.sees_children or not sample_closed
    return leads_units(scope) and can_view_case(scope, municipality_id=municipality_id, unit_id=unit_id)


def can_answer_review(scope: Scope, *, municipality_id: int, reviewer_id: int, sample_closed: bool) -> bool:
    """May answer (and hand in) a review: its reviewer only, in their municipality, while the sample is
    open. Whether it is still open to answers is the review's status (the services refuse)."""
    return (
        can_open_reviews(scope)
        and scope.municipality_id == municipality_id
        and reviewer_id == scope.user_id
        and not sample_closed
    )


def can_calibrate(scope: Scope) -> bool:
    """May open the calibration page (kalibrering) and start a calibration review: the reviewers, and
    the administrator, who makes the calibration cases."""
    return is_reviewer(scope) or can_administer(scope)


def can_resolve_disagreement(scope: Scope, *, municipality_id: int) -> bool:
    """May resolve a disagreement between the levels of a review in `municipality_id`."""
    return scope.municipality_id == municipality_id and bool(scope.roles & DISAGREEMENT_RESOLVER_ROLES)


#: Who may be named the reader of an ad hoc sample (an external audit or the quality unit's visit): the
#: ekstern gennemgår, the lawyers and the områdechef.
ADHOC_REVIEWER_ROLES = frozenset(
    {Role.EXTERNAL_REVIEWER, Role.CENTRE_LAWYER, Role.CENTRAL_LAWYER, Role.AREA_LAWYER, Role.AREA_CHIEF}
)


def adhoc_reviewer_assignments_filter() -> Q:
    """The role assignments whose holder may read an ad hoc sample, as a filter on RoleAssignment."""
    return Q(role__in=sorted(ADHOC_REVIEWER_ROLES))


def needs_second_factor(scope: Scope) -> bool:
    """Must give a code from a code app (TOTP) after the password before any page: leaders, lawyers and
    administrators (faglig koordinator, afdelingsleder, områdechef, områdejurist, centerjurist, central
    jurist, administrator), the databeskyttelsesrådgiver and the ekstern gennemgår. Asked only of local
    log-ins: single sign-on leaves the second factor to the municipality's identity provider (ADR 0016)."""
    return bool(scope.roles & SECOND_FACTOR_ROLES)


def can_see_all_units(scope: Scope) -> bool:
    """Sees every unit of the municipality (centerjurist, central jurist, administrator), not only the
    units they hold a role in: the start page's table is "Kommunens enheder" rather than "Mine enheder"."""
    return scope.all_units


def can_view_unit_overview(scope: Scope) -> bool:
    """May see the start page's table of units and download it (enheder.xlsx): leaders who may list
    cases. A sagsbehandler alone and an udvalgsmedlem may not."""
    return can_list_cases(scope) and leads_units(scope)


def can_view_deadlines(scope: Scope) -> bool:
    """May see the weekly deadline follow-up (ugens frister) and its export: the cases' deadlines, so
    the same users as the case list (every role but udvalgsmedlem alone)."""
    return can_list_cases(scope)


#: Leader roles that get the ugentlig fristmail: every leader but the administrator, who runs the
#: system rather than leads a unit (an administrator who also leads gets the mail for what they lead).
DIGEST_ROLES = LEADER_ROLES - {Role.ADMINISTRATOR}
#: Roles whose follow-up screens and mail start at the group of their role assignment, when it has one.
GROUP_LEADER_ROLES = frozenset({Role.COORDINATOR, Role.DEPARTMENT_LEADER})


def receives_weekly_digest(scope: Scope) -> bool:
    """Gets the ugentlig fristmail: a leader (`leads_units`) who may see children's cases, other than
    as administrator only (an administrator gets no leader mail unless they lead)."""
    return bool(scope.roles & DIGEST_ROLES) and scope.sees_children


def digest_assignments_filter() -> Q:
    """The role assignments that bring the ugentlig fristmail, as a filter on RoleAssignment: the
    queryset form of `receives_weekly_digest` (the recipients)."""
    return Q(role__in=sorted(DIGEST_ROLES))


def weekly_digest_scope(scope: Scope) -> Scope | None:
    """What the user's weekly mail covers: None without a mail; an administrator who also leads units
    gets the units they lead, not the whole municipality the administrator role shows."""
    if not receives_weekly_digest(scope):
        return None
    if scope.all_units and not scope.roles & (ALL_UNIT_ROLES - {Role.ADMINISTRATOR}):
        return Scope(scope.user_id, scope.municipality_id, scope.roles, scope.unit_ids, False)
    return scope


def followup_default_group(user: User) -> str | None:
    """The group a faglig koordinator's or afdelingsleder's follow-up (screens and mail) starts at:
    the group of their role assignments when they all name the same one and the user holds no other
    leader role; None (the whole unit) otherwise. The user can still widen to the unit."""
    if user.municipality_id is None:
        return None
    rows = list(
        RoleAssignment.objects.filter(
            user=user, municipality_id=user.municipality_id, role__in=sorted(LEADER_ROLES)
        ).values_list("role", "group")
    )
    if not rows or any(role not in GROUP_LEADER_ROLES for role, _ in rows):
        return None
    groups = {group for _, group in rows}
    if len(groups) != 1 or "" in groups:
        return None
    return groups.pop()


def can_see_cpr(scope: Scope) -> bool:
    """Sees the full CPR number (sagsbehandler, faglig koordinator); everyone else sees it masked."""
    return bool(scope.roles & CPR_ROLES)


def can_import(scope: Scope) -> bool:
    """May import organisation and events files (administrator)."""
    return Role.ADMINISTRATOR in scope.roles


def can_administer(scope: Scope) -> bool:
    """May run the municipality's organisation from the screen (administration): units, staff and their
    roles, API clients (administrator). Their own municipality only; the pages hold no child or case."""
    return Role.ADMINISTRATOR in scope.roles and scope.municipality_id is not None


def can_view_jobs(scope: Scope) -> bool:
    """May see the planlagte job (scheduled jobs) and their runs (administrator). Runs are kept per
    municipality and shown only to its own administrators; they hold counts, never a child or a case."""
    return Role.ADMINISTRATOR in scope.roles


def can_view_aggregates(scope: Scope) -> bool:
    """May see statistics without personal data (every role, including udvalgsmedlemmer)."""
    return has_any_role(scope)


def can_review_access(scope: Scope) -> bool:
    """May see the page Usædvanlig adgang (unusual reads of cases, by staff user name and case number)
    and the check of the audit chain, and download it: the databeskyttelsesrådgiver only. Not the
    administrator, whose own reads of every unit are among those watched."""
    return Role.DATA_PROTECTION_OFFICER in scope.roles and scope.municipality_id is not None


def can_record_overrun_reason(scope: Scope, *, municipality_id: int, unit_id: int) -> bool:
    """May write the begrundelse for overskridelse (and planned date) of a case's overrun deadline: a
    sagsbehandler or line leader (faglig koordinator, afdelingsleder, områdechef) of the case's unit.
    Lawyers and the administrator read it; they do not write it."""
    if not can_view_case(scope, municipality_id=municipality_id, unit_id=unit_id):
        return False
    return any((role, unit_id) in scope.unit_roles for role in OVERRUN_REASON_ROLES)


def can_acknowledge_overrun(scope: Scope, *, municipality_id: int, unit_id: int) -> bool:
    """May kvittere for (acknowledge) a begrundelse for overskridelse: a line leader of the case's unit
    (faglig koordinator, afdelingsleder, områdechef)."""
    if not can_view_case(scope, municipality_id=municipality_id, unit_id=unit_id):
        return False
    return any((role, unit_id) in scope.unit_roles for role in LINE_LEADER_ROLES)


#: Lawyers who sign off a case repair (sagsgenopretning) by re-checking the question on the case: the
#: områdejurist of the case's unit, and the centre and central lawyers of the municipality.
REPAIR_SIGN_OFF_LAWYER_ROLES = frozenset({Role.AREA_LAWYER, Role.CENTRE_LAWYER, Role.CENTRAL_LAWYER})


def can_mark_repair_done(scope: Scope, *, municipality_id: int, unit_id: int, owner_id: int | None) -> bool:
    """May melde en sagsgenopretning udført (report a case repair done): its owner (the case's
    caseworker) or a line leader (faglig koordinator, afdelingsleder, områdechef) of the case's unit."""
    if not can_view_case(scope, municipality_id=municipality_id, unit_id=unit_id):
        return False
    if owner_id is not None and owner_id == scope.user_id:
        return True
    return any((role, unit_id) in scope.unit_roles for role in LINE_LEADER_ROLES)


def can_sign_off_repair(scope: Scope, *, municipality_id: int, unit_id: int) -> bool:
    """May re-check (fornyet kontrol) and so sign off a case repair: a line leader of the case's unit or a
    lawyer (områdejurist of the unit, centerjurist, central jurist). The service adds that it may be
    neither the reviewer of the finding nor the repair's owner."""
    if not can_view_case(scope, municipality_id=municipality_id, unit_id=unit_id):
        return False
    if any((role, unit_id) in scope.unit_roles for role in LINE_LEADER_ROLES | {Role.AREA_LAWYER}):
        return True
    return bool(scope.roles & (REPAIR_SIGN_OFF_LAWYER_ROLES - {Role.AREA_LAWYER}))


def can_view_findings(scope: Scope) -> bool:
    """May open the leaders' pages of fund, sagsgenopretninger, læringspunkter and handleplaner (their
    units' only; `visible_units_filter`): leaders who may see children's cases."""
    return can_list_cases(scope) and leads_units(scope)


def can_view_own_findings(scope: Scope) -> bool:
    """May open "Fund på mine sager": a sagsbehandler (the findings on the cases they work on)."""
    return can_list_cases(scope) and can_view_own_caseload(scope)


def can_comment_finding(
    scope: Scope, *, municipality_id: int, unit_id: int, caseworker_id: int | None
) -> bool:
    """May write a bemærkning to a finding: the case's caseworker, or a line leader of the case's unit."""
    if not can_view_case(scope, municipality_id=municipality_id, unit_id=unit_id):
        return False
    if caseworker_id is not None and caseworker_id == scope.user_id:
        return True
    return any((role, unit_id) in scope.unit_roles for role in LINE_LEADER_ROLES)


def can_plan_actions(scope: Scope, *, municipality_id: int, unit_id: int) -> bool:
    """May make or end a unit's handleplan (action plan): a line leader of the unit (faglig koordinator,
    afdelingsleder, områdechef)."""
    if scope.municipality_id != municipality_id:
        return False
    return any((role, unit_id) in scope.unit_roles for role in LINE_LEADER_ROLES)


def planning_units_filter(scope: Scope) -> Q:
    """The units whose handleplaner `scope` may make and end, as a filter on Unit (the queryset form of
    `can_plan_actions`): the units the user is a line leader of."""
    ids = sorted({unit_id for role, unit_id in scope.unit_roles if role in LINE_LEADER_ROLES})
    if not ids or scope.municipality_id is None:
        return Q(pk__in=[])
    return Q(municipality_id=scope.municipality_id, pk__in=ids)


def can_plan_any_actions(scope: Scope) -> bool:
    """Leads (as a line leader) at least one unit, and so may make handleplaner for it."""
    return any(role in LINE_LEADER_ROLES for role, _ in scope.unit_roles)


def in_own_caseload(scope: Scope, *, unit_id: int, caseworker_id: int | None) -> bool:
    """Whether a case lies within the reader's own work, for the unusual-access review (ADR 0018):

    - roles over every unit (centerjurist, central jurist, administrator): every case of the
      municipality (their reads are watched for bursts and off-hours only);
    - leaders in units (faglig koordinator, afdelingsleder, områdechef, områdejurist): their units' cases;
    - a sagsbehandler: the cases they are caseworker on, and their units' cases without a caseworker;
    - anyone else (udvalgsmedlem, databeskyttelsesrådgiver, no role): no case.
    The case's current unit and caseworker are used."""
    if scope.all_units:
        return True
    if leads_units(scope):
        return unit_id in scope.unit_ids
    if can_view_own_caseload(scope):
        if caseworker_id is None:
            return unit_id in scope.unit_ids
        return caseworker_id == scope.user_id
    return False


def can_sign_off_checklist(scope: Scope, *, municipality_id: int, unit_id: int) -> bool:
    """May sign off a placement case's oversigtsskema at the monthly case review: a faglig koordinator or
    an afdelingsleder of the case's own unit. Not a leader of another unit, not the lawyers or the
    administrator, who see every unit but hold no case reviews."""
    if scope.municipality_id != municipality_id:
        return False
    return any((role, unit_id) in scope.unit_roles for role in CHECKLIST_SIGN_OFF_ROLES)


def is_municipality_role(role: str) -> bool:
    return role in MUNICIPALITY_ROLES


def can_view_supervision(scope: Scope) -> bool:
    """May open the ledelsestilsyn's programme overview (tilsyn) and the sample pages: leaders and lawyers
    (faglig koordinator, afdelingsleder, områdechef, områdejurist over their units' samples; centerjurist,
    central jurist and administrator over all). Not the sagsbehandler, udvalgsmedlem or ekstern gennemgår."""
    return can_list_cases(scope) and leads_units(scope)


def can_run_supervision(scope: Scope) -> bool:
    """May run the ledelsestilsyn (administrator): start a period, change a programme part, hand-pick a
    case into a sample, draw and close an ad hoc sample (an external audit, the quality unit's visit)."""
    return Role.ADMINISTRATOR in scope.roles and scope.municipality_id is not None


def is_external_reviewer(scope: Scope) -> bool:
    """Holds the role ekstern gennemgår (an auditor): may be named the reviewer of an external audit."""
    return Role.EXTERNAL_REVIEWER in scope.roles


def is_committee_member(scope: Scope) -> bool:
    """Holds the role udvalgsmedlem: the start page shows the municipality's compliance figures."""
    return Role.COMMITTEE_MEMBER in scope.roles and scope.municipality_id is not None


def can_view_compliance_dashboard(scope: Scope) -> bool:
    """May open the compliance dashboards (Lovoverholdelse, ADR 0038): leaders and lawyers (their units'
    figures besides the municipality's) and udvalgsmedlemmer (the municipality's figures only)."""
    return can_view_supervision(scope) or is_committee_member(scope)


def can_view_unit_compliance(scope: Scope) -> bool:
    """Sees the compliance figures per unit, per group and per caseworker (with the caseworkers' names),
    of the units `visible_units_filter` gives: leaders and lawyers. Not an udvalgsmedlem, who sees the
    municipality's aggregates only."""
    return can_view_supervision(scope)


def can_download_committee_report(scope: Scope) -> bool:
    """May download the committee report (udvalgsrapport) and see the stored ones: leaders and lawyers
    (as `can_view_supervision`) and udvalgsmedlemmer. The report holds aggregates only, suppressed
    (ADR 0039); never a child, case or person."""
    return scope.municipality_id is not None and can_view_compliance_dashboard(scope)
