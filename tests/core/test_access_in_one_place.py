"""Who may see what is decided in sagstilsyn/core/access.py only: views, selectors, template tags, jobs
and templates ask its named predicates (`can_list_cases(scope)`, `leads_units(scope)`) and never do
arithmetic on roles themselves. This test reads the code for the ways that arithmetic looks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sagstilsyn"
#: The one home of the access rules.
ACCESS = PACKAGE / "core" / "access.py"
#: Where roles are defined and assigned, not asked about: the model with its constraint, and the
#: service that checks a unit role gets a unit and a municipality role none.
DEFINES_ROLES = {PACKAGE / "core" / "models.py", PACKAGE / "core" / "services" / "organisation.py"}
#: A scope's fields that only core/access.py reads (the others, user_id and municipality_id, say whose
#: scope it is, not what it allows).
SCOPE_INTERNALS = {"roles", "unit_ids", "all_units", "sees_children"}
#: Django's own flags: Sagstilsyn grants nothing by them outside core/access.py.
DJANGO_FLAGS = {"is_superuser", "is_staff"}
TEMPLATE_ROLES = re.compile(r"\.roles\b|\.is_superuser\b|\.is_staff\b")


def _is_role_set(node: ast.expr) -> bool:
    """A set, tuple or list written out of Role members, or a name of a role set (`LEADER_ROLES`)."""
    if isinstance(node, ast.Name):
        return node.id.endswith("_ROLES")
    if isinstance(node, ast.Attribute) and node.attr.endswith("_ROLES"):
        return True
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return any(
            isinstance(element, ast.Attribute)
            and isinstance(element.value, ast.Name)
            and element.value.id == "Role"
            for element in node.elts
        )
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"set", "frozenset"}
    ):
        return any(_is_role_set(arg) for arg in node.args)
    return False


def role_arithmetic(source: str) -> list[str]:
    """Each place in `source` that decides access by roles itself, as `line: what`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr in SCOPE_INTERNALS | DJANGO_FLAGS:
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.Compare):
            if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops) and any(
                _is_role_set(side) for side in node.comparators
            ):
                found.append(f"{line}: in a role set")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr | ast.Sub):
            if _is_role_set(node.left) or _is_role_set(node.right):
                found.append(f"{line}: role set arithmetic")
        elif isinstance(node, ast.keyword) and node.arg == "role__in":
            found.append(f"{line}: role__in")
        elif isinstance(node, ast.ImportFrom) and node.module == "sagstilsyn.core.access":
            found.extend(f"{line}: imports {a.name}" for a in node.names if a.name.endswith("_ROLES"))
    return found


@pytest.mark.parametrize(
    "source",
    [
        "if Role.CASEWORKER in scope.roles: pass",
        "leader = bool(roles & LEADER_ROLES)",
        "allowed = role in {Role.ADMINISTRATOR, Role.CENTRE_LAWYER}",
        "allowed = role not in (Role.COMMITTEE_MEMBER,)",
        "others = frozenset({Role.CASEWORKER}) | extra",
        "RoleAssignment.objects.filter(role__in=['administrator'])",
        "from sagstilsyn.core.access import ALL_UNIT_ROLES",
        "if request.user.is_superuser: pass",
        "if scope.all_units: pass",
    ],
)
def test_role_arithmetic_is_found(source: str) -> None:
    assert role_arithmetic(source)


@pytest.mark.parametrize(
    "source",
    [
        "if can_list_cases(scope) and leads_units(scope): pass",
        "Case.objects.filter(municipality_id=scope.municipality_id)",
        "RoleAssignment.objects.filter(leader_assignments_filter(), role=Role.CASEWORKER)",
        "names = sorted({a.get_role_display() for a in user.role_assignments.all()})",
        "unit_ids = [u.pk for u in units]",
    ],
)
def test_named_predicates_pass(source: str) -> None:
    assert role_arithmetic(source) == []


def test_no_module_outside_core_access_decides_access_by_roles() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{place}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != ACCESS and path not in DEFINES_ROLES and "migrations" not in path.parts
        for place in role_arithmetic(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Brug et navngivet prædikat i core/access.py:\n" + "\n".join(found)


def test_no_template_reads_roles() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted(PACKAGE.rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TEMPLATE_ROLES.search(line)
    ]
    assert not found, "Giv skabelonen svaret fra et prædikat i core/access.py:\n" + "\n".join(found)
