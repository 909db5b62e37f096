"""Worlds for the ledelsestilsyn's tests, made through the services: a municipality with units, staff,
cases and Copenhagen's default programmes, and a drawn, assigned review to read."""

from __future__ import annotations

from sagstilsyn.core.models import Municipality, Role, UnitKind, User
from sagstilsyn.reviews.models import ProgrammePart, Review, ReviewLevel
from sagstilsyn.reviews.programmes.defaults import programme_default_ensure
from sagstilsyn.reviews.programmes.periods import period_parse
from sagstilsyn.reviews.services.reviews import supervision_start
from tests.factories import make_case, make_municipality, make_staff, make_unit


def supervision_world() -> Municipality:
    """Two units and Døgnvagten, their caseworkers and leaders, two centre lawyers, two central lawyers,
    13 open cases (the north unit's are placements), and the default programmes."""
    municipality = make_municipality()
    north, south = make_unit(municipality, "BFE-NORD"), make_unit(municipality, "BFE-SYD")
    emergency = make_unit(municipality, "DV", kind=UnitKind.EMERGENCY)
    for unit, name in ((north, "nord"), (south, "syd"), (emergency, "dv")):
        make_staff(municipality, Role.COORDINATOR, unit, username=f"koord-{name}")
        make_staff(municipality, Role.AREA_CHIEF, unit, username=f"chef-{name}")
    for name in ("jurist-a", "jurist-b"):
        make_staff(municipality, Role.CENTRE_LAWYER, username=name)
    for name in ("central-a", "central-b"):
        make_staff(municipality, Role.CENTRAL_LAWYER, username=name)
    make_staff(municipality, Role.CASEWORKER, north, username="sb-1")
    make_staff(municipality, Role.CASEWORKER, north, username="sb-2")
    make_staff(municipality, Role.CASEWORKER, south, username="sb-3")
    make_staff(municipality, Role.CASEWORKER, emergency, username="sb-dv")
    for number in range(6):
        make_case(
            municipality, f"N-{number}", unit="BFE-NORD", caseworker=f"sb-{1 + number % 2}", placement=True
        )
    for number in range(4):
        make_case(municipality, f"S-{number}", unit="BFE-SYD", caseworker="sb-3", overdue=number % 2 == 0)
    for number in range(3):
        make_case(municipality, f"D-{number}", unit="DV", caseworker="sb-dv")
    programme_default_ensure(municipality)
    # 10 unit cases: the centre part (60) takes them all, so the quarter's other parts would get only
    # cases excluded as already drawn; these worlds test the review's life, not that rule (ADR 0030)
    for part in ProgrammePart.objects.filter(programme__municipality=municipality):
        part.eligibility = {**part.eligibility, "not_drawn_in_period": False}
        part.save(update_fields=["eligibility"])
    return municipality


def started_quarter(municipality: Municipality, period: str = "2026-10") -> list[Review]:
    """Start `period` (draw and assign; October owes the month and the quarter); the level-1 reviews."""
    supervision_start(municipality=municipality, period=period_parse(period), actor=None)
    return list(
        Review.objects.filter(municipality=municipality, level=ReviewLevel.FIRST).select_related(
            "case", "reviewer", "sample_row__sample__part"
        )
    )


def review_of(reviews: list[Review], *, part: str, level2: bool | None = None) -> Review:
    """The first review of the part `part` (a part code), optionally one marked (or not) for level 2."""
    for review in sorted(reviews, key=lambda r: r.pk):
        row = review.sample_row
        if row is None or row.sample.part.code != part:
            continue
        if level2 is None or row.level2 == level2:
            return review
    raise LookupError(part)


def user(username: str) -> User:
    return User.objects.get(username=username)
