"""`sagstilsyn api token create|revoke|list`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import api_client_authenticate
from sagstilsyn.core.models import AuditEvent
from tests.factories import make_municipality

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("api", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_token_once_and_it_works() -> None:
    make_municipality()
    make_municipality("147", "Frederiksberg Kommune")
    output = run("token", "create", "--municipality", "101", "--source", "DUBU")
    token = output.strip().splitlines()[-1]
    client = api_client_authenticate(token=token)
    assert (client.municipality.code, client.source, client.created_by_label) == (
        "101",
        "DUBU",
        "kommandolinje",
    )
    assert "vises kun denne ene gang" in output
    assert token not in run("token", "list")
    assert AuditEvent.objects.filter(action="api_client.create", actor_label="kommandolinje").count() == 1


def test_the_municipality_can_be_left_out_when_there_is_one() -> None:
    make_municipality()
    run("token", "create", "--source", "Nexus")
    assert ApiClient.objects.get().source == "Nexus"
    make_municipality("147", "Frederiksberg Kommune")
    with pytest.raises(CommandError, match="--municipality"):
        run("token", "create", "--source", "Nexus")
    with pytest.raises(CommandError, match="findes ikke"):
        run("token", "create", "--municipality", "999", "--source", "Nexus")


def test_revoke_by_source_and_by_id() -> None:
    make_municipality()
    run("token", "create", "--source", "DUBU")
    run("token", "create", "--source", "DUBU")
    run("token", "create", "--source", "Nexus")
    output = run("token", "revoke", "--municipality", "101", "--source", "DUBU")
    assert output.count("tilbagekaldt") == 2
    assert sorted(ApiClient.objects.values_list("source", "active")) == [
        ("DUBU", False),
        ("DUBU", False),
        ("Nexus", True),
    ]
    nexus = ApiClient.objects.get(source="Nexus")
    assert "tilbagekaldt" in run("token", "revoke", "--id", str(nexus.pk))
    assert "allerede" in run("token", "revoke", "--id", str(nexus.pk))
    assert AuditEvent.objects.filter(action="api_client.revoke").count() == 3
    listing = run("token", "list", "--municipality", "101")
    assert listing.count("tilbagekaldt") == 3
    with pytest.raises(CommandError, match="Ingen aktive"):
        run("token", "revoke", "--source", "DUBU")
    with pytest.raises(CommandError, match="--id"):
        run("token", "revoke")
