"""The CPR key's check value (kontrolværdi): is SAGSTILSYN_CPR_KEY the key the stored CPR numbers were
encrypted with? (ADR 0017)

`cpr_key_verify` compares the check value of the key in use with the one stored in the database. With
none stored yet it stores it (the first start after `migrate`), unless a stored CPR number cannot be
read with the key: an installation that already holds CPR numbers is not given a wrong key's value.
The system check (`core/checks.py`: `check`, `runserver`, `migrate`) and the WSGI and ASGI entries
(`cpr_key_startup`) call it, so a wrong key stops the start with a Danish message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from sagstilsyn.core.cpr import CprKeyError, cpr_decrypt, cpr_key_check_value
from sagstilsyn.core.models import CprKeyCheck
from sagstilsyn.core.services.audit import audit_record

logger = logging.getLogger(__name__)

#: Said when the key in use is not the installation's key: what is wrong and what to do.
CPR_KEY_WRONG = (
    "CPR-nøglen passer ikke: SAGSTILSYN_CPR_KEY er ikke den nøgle, som de gemte CPR-numre er krypteret "
    "med (kontrolværdien i databasen er en anden, eller de gemte CPR-numre kan ikke læses med den). "
    "Sagstilsyn starter ikke, for ingen sagsside ville kunne vises. Sæt SAGSTILSYN_CPR_KEY til "
    "installationens nøgle (se docs/operations.md), og start igen."
)


class CprKeyState(StrEnum):
    OK = "ok"  # the stored check value is the key's
    STORED = "stored"  # none was stored: the key's is stored now
    WRONG = "wrong"  # another key's value is stored, or a stored CPR number cannot be read


#: Functions that give one stored CPR cipher text (or None when there is none), registered by the apps
#: that store CPR numbers: core stores none itself and names no upper layer (ADR 0012).
_CIPHER_SAMPLES: list[Callable[[], str | None]] = []


def cpr_cipher_sample_register(sample: Callable[[], str | None]) -> None:
    """Register a function giving one stored CPR cipher text, read before a first check value is stored."""
    if sample not in _CIPHER_SAMPLES:
        _CIPHER_SAMPLES.append(sample)


def _key_reads_stored_numbers() -> bool:
    for sample in _CIPHER_SAMPLES:
        cipher = sample()
        if cipher:
            try:
                cpr_decrypt(cipher)
            except CprKeyError:
                return False
    return True


@transaction.atomic
def cpr_key_verify() -> CprKeyState:
    """Compare the key in use with the stored check value; store it when there is none yet."""
    value = cpr_key_check_value()
    stored = CprKeyCheck.objects.filter(pk=1).values_list("check_value", flat=True).first()
    if stored is not None:
        return CprKeyState.OK if stored == value else CprKeyState.WRONG
    if not _key_reads_stored_numbers():
        return CprKeyState.WRONG
    check, created = CprKeyCheck.objects.get_or_create(
        pk=1, defaults={"check_value": value, "created_at": timezone.now()}
    )
    if not created:  # another process stored one first
        return CprKeyState.OK if check.check_value == value else CprKeyState.WRONG
    audit_record(
        actor=None,
        action="cpr_key.check_store",
        target_type="cpr_key_check",
        target_id=check.pk,
        target_label="Kontrolværdi for CPR-nøglen",
    )
    return CprKeyState.STORED


def cpr_key_startup() -> None:
    """For the WSGI and ASGI entries: ImproperlyConfigured with the Danish message when the key is wrong,
    so the server process does not start. A database that does not answer (or is not migrated yet)
    cannot tell: the start goes on with a warning in the log, and the next start checks again."""
    try:
        state = cpr_key_verify()
    except DatabaseError as error:
        logger.warning("CPR-nøglen kunne ikke kontrolleres, fordi databasen ikke svarede: %s", error)
        return
    finally:
        # The server opens its own connections per request (and a forking server must not share this
        # one with its workers); a caller inside a transaction (a test) keeps its connection.
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
    if state is CprKeyState.WRONG:
        raise ImproperlyConfigured(CPR_KEY_WRONG)
