"""The migration that chains the existing audit events and access-log entries (core 0005, ADR 0018)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sagstilsyn.core.audit_chain import GENESIS
from sagstilsyn.core.chain_check import audit_chain_verify
from sagstilsyn.core.models import AccessLogEntry, AuditEvent, Municipality
from sagstilsyn.core.services.audit import audit_record
from tests.migrating import migrate_to

BEFORE = ("core", "0004_cprkeycheck")
AFTER = ("core", "0006_audit_chain_constraints")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_existing_rows_are_chained_in_id_order_per_municipality() -> None:
    old = migrate_to(BEFORE).loader.project_state([BEFORE]).apps
    municipality_model = old.get_model("core", "Municipality")
    copenhagen = municipality_model.objects.create(code="101", name="København")
    lejre = municipality_model.objects.create(code="350", name="Lejre")
    events = old.get_model("core", "AuditEvent")
    at = datetime(2024, 5, 13, 8, 0, 0, 123456, tzinfo=UTC)
    for number, municipality in enumerate([copenhagen, lejre, copenhagen, None, copenhagen]):
        events.objects.create(
            at=at,
            actor_label="system",
            municipality=municipality,
            action="old.step",
            target_id=str(number),
            after={"nr": number, "tekst": "æøå"},
        )
    old.get_model("core", "AccessLogEntry").objects.create(
        at=at, user_label="anna", municipality=copenhagen, case_id=7, child_id=3, purpose="case_view"
    )

    migrate_to(AFTER)

    chained = list(
        AuditEvent.objects.filter(municipality_id=copenhagen.pk)
        .order_by("id")
        .values_list("seq", "prev_hash", "hash")
    )
    assert [seq for seq, _, _ in chained] == [1, 2, 3]
    assert chained[0][1] == GENESIS
    assert chained[1][1] == chained[0][2]
    assert AuditEvent.objects.get(municipality_id=lejre.pk).seq == 1
    assert AccessLogEntry.objects.get().seq == 1
    check = audit_chain_verify()
    assert check.ok, [f.message for c in check.chains for f in c.findings]
    assert check.rows == 6
    # New rows carry on from the migrated heads.
    current = Municipality.objects.get(pk=copenhagen.pk)
    assert audit_record(actor=None, action="new.step", municipality=current).seq == 4
    assert audit_chain_verify().ok
