"""Importing the staff file (data-contract.md §0b): people and their roles, idempotent, all or nothing,
Danish errors, and `--deactivate-missing`."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagstilsyn.cases.importing import ImportRejected, import_staff_file
from sagstilsyn.core.models import AuditEvent, Municipality, Role, RoleAssignment, User
from sagstilsyn.core.services.staff import name_split
from tests.cases.data.helpers import run, write_csv
from tests.factories import make_municipality, make_unit, make_user

pytestmark = pytest.mark.django_db

HEADER = "municipality,username,name,email,role,unit,group\n"
SAMPLE = (
    Path(__file__).parents[2]
    / "sagstilsyn"
    / "cases"
    / "static"
    / "cases"
    / "eksempler"
    / "medarbejdere-eksempel.csv"
)


@pytest.fixture
def copenhagen() -> None:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORREBRO")
    make_unit(municipality, "BFE-AMAGER")


def _roles(username: str) -> set[tuple[str, str | None, str]]:
    return {
        (a.role, a.unit.code if a.unit else None, a.group)
        for a in RoleAssignment.objects.filter(user__username=username).select_related("unit")
    }


@pytest.mark.usefixtures("copenhagen")
def test_the_sample_staff_file_creates_people_and_roles() -> None:
    result = run("import", "staff", str(SAMPLE))
    assert result.status == 0, result.text
    assert "medarbejdere 4 nye" in result.out
    assert "roller 5 nye" in result.out
    anne = User.objects.get(username="ahol")
    assert (anne.first_name, anne.last_name, anne.email) == ("Anne Marie", "Holm", "ahol@kk.example")
    assert not anne.has_usable_password()
    assert _roles("ahol") == {
        ("caseworker", "BFE-NORREBRO", "children"),
        ("caseworker", "BFE-AMAGER", "children"),
    }
    assert _roles("djen") == {("centre_lawyer", None, "")}
    assert AuditEvent.objects.filter(action="role.assign").count() == 5
    assert (
        AuditEvent.objects.filter(action="staff.import", actor_label="kommando: sagstilsyn import").count()
        == 1
    )


@pytest.mark.usefixtures("copenhagen")
def test_importing_the_staff_file_twice_changes_nothing() -> None:
    assert run("import", "staff", str(SAMPLE)).status == 0
    events = AuditEvent.objects.exclude(action="staff.import").count()
    again = run("import", "staff", str(SAMPLE))
    assert again.status == 0
    assert "medarbejdere 0 nye, 0 ændrede, 0 genaktiverede, 4 uændrede" in again.out
    assert "roller 0 nye, 0 ændrede, 5 uændrede, 0 afsluttede" in again.out
    assert AuditEvent.objects.exclude(action="staff.import").count() == events


@pytest.mark.usefixtures("copenhagen")
def test_a_dry_run_saves_nothing() -> None:
    result = run("import", "staff", "--dry-run", str(SAMPLE))
    assert result.status == 0, result.text
    assert "Prøvekørsel – intet gemt" in result.out
    assert "Ville indlæse 5 rækker" in result.out
    assert not User.objects.filter(username="ahol").exists()


@pytest.mark.usefixtures("copenhagen")
def test_every_bad_row_is_named_and_nothing_is_imported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        HEADER
        + "101,ahol,Anne Holm,,caseworker,BFE-NORREBRO,children\n"  # fine
        + "101,bkri,Bo Kristensen,,caseworker,,\n"  # unit role without unit
        + "101,cdam,Camilla Dam,,centre_lawyer,BFE-NORREBRO,\n"  # municipality role with a unit
        + "101,djen,Dorte Jensen,,chief,BFE-NORREBRO,\n"  # unknown role
        + "101,ejen,Erik Jensen,,caseworker,BFE-VEST,\n"  # unknown unit
        + "101,fhan,Finn Hansen,,caseworker,BFE-NORREBRO,voksne\n"  # unknown group
        + "101,ahol,Anne M. Holm,,coordinator,BFE-NORREBRO,\n"  # another name
        + "999,ghan,Gitte Hansen,,administrator,,\n"  # unknown municipality
        + "101,h han,Hans Hansen,,administrator,,\n",  # a space in the user name
    )
    result = run("import", "staff", str(path))
    assert result.status == 1
    for line in (
        "Række 3, kolonne unit: rollen caseworker hører til en enhed: angiv enhedens kode",
        "Række 4, kolonne unit, værdi BFE-NORREBRO: rollen centre_lawyer gælder hele kommunen",
        "Række 5, kolonne role, værdi chief: ukendt rolle",
        "Række 7, kolonne group, værdi voksne: gruppen skal være investigation | children | youth",
        "Række 8, kolonne name, værdi Anne M. Holm: ahol har et andet navn i række 2",
        "Række 10, kolonne username, værdi h han: brugernavnet må ikke indeholde mellemrum",
    ):
        assert line in result.err
    assert result.failure == "Intet er indlæst."
    assert not User.objects.exists()
    # the register's checks come when the file's own form is right
    good = write_csv(
        tmp_path / "t.csv",
        HEADER + "101,ejen,Erik Jensen,,caseworker,BFE-VEST,\n999,ghan,Gitte Hansen,,administrator,,\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_staff_file(data=good.read_bytes(), filename=good.name)
    messages = [(e.row, e.column, e.message) for e in rejected.value.errors]
    assert (2, "unit", "enheden findes ikke i kommune 101") in messages
    assert (3, "municipality", "kommunen findes ikke; indlæs organisationsfilen først") in messages


@pytest.mark.usefixtures("copenhagen")
def test_a_person_left_out_keeps_their_roles_unless_told(tmp_path: Path) -> None:
    assert run("import", "staff", str(SAMPLE)).status == 0
    shorter = write_csv(
        tmp_path / "s.csv",
        HEADER
        + "101,ahol,Anne Marie Holm,ahol@kk.example,caseworker,BFE-NORREBRO,youth\n"
        + "101,bkri,Bo Kristensen,bkri@kk.example,coordinator,BFE-NORREBRO,children\n",
    )
    kept = run("import", "staff", str(shorter))
    assert "roller 0 nye, 1 ændrede, 1 uændrede, 0 afsluttede" in kept.out
    assert User.objects.get(username="djen").is_active
    assert ("caseworker", "BFE-NORREBRO", "youth") in _roles("ahol")
    ended = run("import", "staff", "--deactivate-missing", str(shorter))
    assert ended.status == 0, ended.text
    assert "3 afsluttede; 2 medarbejdere deaktiveret" in ended.out
    assert _roles("ahol") == {("caseworker", "BFE-NORREBRO", "youth")}
    djen = User.objects.get(username="djen")
    assert not djen.is_active
    assert not _roles("djen")
    assert AuditEvent.objects.filter(action="role.end", target_label="djen").count() == 1
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 2
    back = run("import", "staff", str(SAMPLE))
    assert "2 genaktiverede" in back.out
    assert User.objects.get(username="djen").is_active


@pytest.mark.usefixtures("copenhagen")
def test_the_administrator_cannot_end_their_own_role(tmp_path: Path) -> None:
    admin = make_user(Municipality.objects.get(), Role.ADMINISTRATOR, username="admin")
    with pytest.raises(ImportRejected) as rejected:
        import_staff_file(
            data=SAMPLE.read_bytes(), filename=SAMPLE.name, actor=admin, deactivate_missing=True
        )
    assert "din egen rolle som administrator" in rejected.value.errors[0].message
    assert not User.objects.filter(username="ahol").exists()


@pytest.mark.usefixtures("copenhagen")
def test_another_municipality_is_refused(tmp_path: Path) -> None:
    other = make_municipality("350", "Lejre Kommune")
    make_user(other, Role.ADMINISTRATOR, username="ahol")
    result = run("import", "staff", "--municipality", "101", str(SAMPLE))
    assert result.status == 1
    assert "Række 2, kolonne username, værdi ahol: brugernavnet tilhører en anden kommune" in result.err
    lejre = run("import", "staff", "--municipality", "350", str(SAMPLE))
    assert "Række 2, kolonne municipality, værdi 101: filen indlæses i kommune 350" in lejre.err


def test_a_name_splits_into_first_and_last_names() -> None:
    assert name_split("Anne Marie Holm") == ("Anne Marie", "Holm")
    assert name_split("Cher") == ("Cher", "")


@pytest.mark.usefixtures("copenhagen")
def test_the_external_reviewer_role_is_accepted_across_the_municipality() -> None:
    data = (HEADER + "101,revisor,Karen Vestergaard,kv@revision.dk,external_reviewer,,\n").encode()
    import_staff_file(data=data, filename="medarbejdere.csv")
    assert _roles("revisor") == {(Role.EXTERNAL_REVIEWER, None, "")}
    in_a_unit = (HEADER + "101,revisor2,Ole Dam,od@revision.dk,external_reviewer,BFE-AMAGER,\n").encode()
    with pytest.raises(ImportRejected) as rejected:
        import_staff_file(data=in_a_unit, filename="medarbejdere.csv")
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "unit")]
