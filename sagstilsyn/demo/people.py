"""The demo organisation: Københavns Kommune, its units and its staff (all names made up).

Pure data, no database: `load.py` creates it through the organisation services. The staff list is the
same for every seed and every population size; only the case histories depend on the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sagstilsyn.core.models import CaseGroup, Role, UnitKind

MUNICIPALITY_CODE = "101"
MUNICIPALITY_NAME = "Københavns Kommune"
CENTRE_NAME = "Borgercenter Børn og Unge"

#: The password of the demo log-ins. Demo only: `sagstilsyn demo load` sets it, nothing else does.
DEMO_PASSWORD = "demo1234"  # noqa: S105 - a documented demo password, never used outside the demo
#: The unit of the demo log-ins whose role is held in a unit.
DEMO_UNIT = "BFE-NORREBRO"
DEMO_GROUP = CaseGroup.CHILDREN
#: How many cases the demo caseworker (`sagsbehandler`) is given, at most.
DEMO_CASELOAD = 25

INVESTIGATION, CHILDREN, YOUTH = CaseGroup.INVESTIGATION, CaseGroup.CHILDREN, CaseGroup.YOUTH
GROUPS: tuple[str, ...] = (INVESTIGATION, CHILDREN, YOUTH)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    #: Relative share of the municipality's cases.
    weight: float
    #: Caseworkers per group (undersøgelse, børn, unge); Døgnvagten has no groups.
    caseworkers: tuple[int, int, int]


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("BFE-AMAGER", "Børnefamilieenheden Amager", UnitKind.UNIT, 1.00, (14, 6, 4)),
    UnitSpec(
        "BFE-BISPEBJERG-NORDVEST", "Børnefamilieenheden Bispebjerg/Nordvest", UnitKind.UNIT, 1.15, (17, 6, 4)
    ),
    UnitSpec(
        "BFE-BRONSHOJ-HUSUM-VANLOSE",
        "Børnefamilieenheden Brønshøj-Husum-Vanløse",
        UnitKind.UNIT,
        0.90,
        (14, 5, 3),
    ),
    UnitSpec(
        "BFE-INDRE-BY-OSTERBRO", "Børnefamilieenheden Indre By/Østerbro", UnitKind.UNIT, 0.85, (13, 5, 3)
    ),
    UnitSpec("BFE-NORREBRO", "Børnefamilieenheden Nørrebro", UnitKind.UNIT, 1.10, (15, 5, 4)),
    UnitSpec(
        "BFE-VALBY-VESTERBRO-KGS-ENGHAVE",
        "Børnefamilieenheden Valby/Vesterbro/Kongens Enghave",
        UnitKind.UNIT,
        1.00,
        (15, 6, 4),
    ),
    UnitSpec("DOEGNVAGTEN", "Døgnvagten", UnitKind.EMERGENCY, 0.0, (8, 0, 0)),
)
EMERGENCY_UNIT = "DOEGNVAGTEN"


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str
    unit: str = ""  # empty for the roles that span the municipality
    group: str = ""
    password: str | None = None  # only the demo log-ins have one


#: One log-in per role with the known password (README "Demo-log-ind"), in this order.
DEMO_LOGINS: tuple[Person, ...] = (
    Person("sagsbehandler", "Sofie", "Lund", Role.CASEWORKER, DEMO_UNIT, DEMO_GROUP, DEMO_PASSWORD),
    Person("koordinator", "Anders", "Bech", Role.COORDINATOR, DEMO_UNIT, DEMO_GROUP, DEMO_PASSWORD),
    Person("afdelingsleder", "Hanne", "Kjær", Role.DEPARTMENT_LEADER, DEMO_UNIT, DEMO_GROUP, DEMO_PASSWORD),
    Person("omraadechef", "Peter", "Holm", Role.AREA_CHIEF, DEMO_UNIT, "", DEMO_PASSWORD),
    Person("omraadejurist", "Camilla", "Brandt", Role.AREA_LAWYER, DEMO_UNIT, "", DEMO_PASSWORD),
    Person("centerjurist", "Jonas", "Winther", Role.CENTRE_LAWYER, "", "", DEMO_PASSWORD),
    Person("centraljurist", "Line", "Dam", Role.CENTRAL_LAWYER, "", "", DEMO_PASSWORD),
    Person("administrator", "Morten", "Krogh", Role.ADMINISTRATOR, "", "", DEMO_PASSWORD),
    Person("udvalgsmedlem", "Birgitte", "Falk", Role.COMMITTEE_MEMBER, "", "", DEMO_PASSWORD),
    Person("databeskyttelse", "Nadia", "Riis", Role.DATA_PROTECTION_OFFICER, "", "", DEMO_PASSWORD),
    Person("ekstern", "Karen", "Vestergaard", Role.EXTERNAL_REVIEWER, "", "", DEMO_PASSWORD),
)

FIRST_NAMES = (
    "Anne", "Mette", "Kirsten", "Hanne", "Susanne", "Lene", "Maria", "Camilla", "Louise", "Charlotte",
    "Julie", "Sara", "Emma", "Ida", "Laura", "Maja", "Signe", "Nanna", "Amalie", "Cecilie", "Rikke",
    "Tina", "Pernille", "Marianne", "Helle", "Line", "Stine", "Katrine", "Malene", "Trine", "Sanne",
    "Peter", "Michael", "Lars", "Thomas", "Jens", "Henrik", "Søren", "Christian", "Martin", "Jesper",
    "Anders", "Rasmus", "Mads", "Jonas", "Mikkel", "Frederik", "Kasper", "Simon", "Nikolaj", "Jakob",
    "Ali", "Fatima", "Ayse", "Mohammad", "Leila", "Yasmin", "Omar", "Zainab", "Hamid", "Aisha",
)  # fmt: skip
LAST_NAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
    "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Frederiksen",
    "Lauridsen", "Henriksen", "Dahl", "Lund", "Holm", "Schmidt", "Eriksen", "Kristiansen", "Clausen",
    "Simonsen", "Svendsen", "Andreasen", "Iversen", "Østergaard", "Jeppesen", "Vestergaard", "Nissen",
    "Lauritsen", "Kjær", "Bang", "Berg", "Yilmaz", "Hussein", "Ahmed", "Khan", "Ali",
)  # fmt: skip

#: Children's first names for the demo's fictitious children (common Danish names of children born
#: 2006-2024); a child's name is one of these and a surname from LAST_NAMES: made up, not a person.
CHILD_FIRST_NAMES = (
    "Alma", "Clara", "Ella", "Emma", "Freja", "Ida", "Isabella", "Josefine", "Karla", "Laura", "Lærke",
    "Liva", "Lily", "Maja", "Nora", "Olivia", "Sofia", "Sofie", "Vigga", "Agnes", "Asta", "Ellen",
    "Alfred", "Aksel", "Anton", "Arthur", "Carl", "Elias", "Emil", "Felix", "Frederik", "Hugo",
    "Lucas", "Malthe", "Noah", "Oliver", "Oscar", "Valdemar", "William", "Viggo", "Magnus", "August",
    "Sara", "Mathilde", "Victor", "Mikkel", "Jonas", "Amira", "Yusuf", "Zeynep", "Adam", "Mohammed",
)  # fmt: skip


def child_name(number: int) -> str:
    """The fictitious name of the demo's child `number`: a first name and a surname, the same for the
    same number (drawn from its own Random, so names never move the demo's other draws)."""
    rng = random.Random(number)  # noqa: S311 - synthetic data, deterministic on purpose
    return f"{rng.choice(CHILD_FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})


def _username(first: str, last: str, taken: set[str]) -> str:
    """Copenhagen-style short initials (e.g. `mejo`), with a number when already taken."""
    base = (first[:2] + last[:2]).lower().translate(_ASCII)
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


def staff() -> list[Person]:
    """Every member of staff, the demo log-ins first. The same list every time (own fixed Random)."""
    rng = random.Random(101)  # noqa: S311 - made-up names, deterministic on purpose
    taken = {person.username for person in DEMO_LOGINS}
    people: list[Person] = list(DEMO_LOGINS)

    def add(role: str, unit: str = "", group: str = "") -> None:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append(Person(_username(first, last, taken), first, last, role, unit, group))

    def held(role: str, unit: str = "", group: str = "") -> bool:
        return any(p.role == role and p.unit == unit and p.group == group for p in DEMO_LOGINS)

    for spec in UNITS:
        groups = GROUPS if spec.kind == UnitKind.UNIT else ("",)
        for group, count in zip(groups, spec.caseworkers, strict=False):
            # The demo caseworker counts as one of the caseworkers of its group.
            for _ in range(count - (1 if held(Role.CASEWORKER, spec.code, group) else 0)):
                add(Role.CASEWORKER, spec.code, group)
            for role in (Role.COORDINATOR, Role.DEPARTMENT_LEADER):
                if not held(role, spec.code, group):
                    add(role, spec.code, group)
        for role in (Role.AREA_CHIEF, Role.AREA_LAWYER):
            if not held(role, spec.code):
                add(role, spec.code)
    for role, count in (
        (Role.CENTRE_LAWYER, 2),
        (Role.CENTRAL_LAWYER, 1),
        (Role.ADMINISTRATOR, 1),
        (Role.COMMITTEE_MEMBER, 2),
    ):
        for _ in range(count - sum(1 for p in DEMO_LOGINS if p.role == role)):
            add(role)
    return people


def caseworker_pools(people: list[Person]) -> dict[tuple[str, str], list[str]]:
    """Usernames of the caseworkers per (unit, group), in staff order."""
    pools: dict[tuple[str, str], list[str]] = {}
    for person in people:
        if person.role == Role.CASEWORKER:
            pools.setdefault((person.unit, person.group), []).append(person.username)
    return pools
