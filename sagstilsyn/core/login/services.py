"""Writes for the second factor (TOTP): set up a code app, check a code, and reset a lost one. Each
writes an audit event; a wrong code counts against the code app, which then makes its owner wait longer
and longer (2^(n-1) seconds after n wrong codes in a row, django-otp's throttling)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sagstilsyn.core.models import User
from sagstilsyn.core.services.audit import audit_record

#: The name a code app gets (only one per user).
DEVICE_NAME = "Kodeapp"


class OtpOutcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class OtpCheck:
    """The answer to a code: verified, wrong, or not tried because of too many wrong codes in a row
    (then `wait_seconds` until the next try)."""

    outcome: OtpOutcome
    device: TOTPDevice
    wait_seconds: int = 0


def _audit(*, user: User, action: str, device: TOTPDevice, after: dict[str, object] | None = None) -> None:
    audit_record(
        actor=user,
        action=action,
        municipality=user.municipality,
        target_type="user",
        target_id=user.pk,
        target_label=user.username,
        after={"device": device.pk, **(after or {})},
    )


def otp_enrolment_start(*, user: User) -> TOTPDevice:
    """The code app being set up for `user`: the one begun before, or a new key. A user whose code app
    is already set up gets no new one here: a lost one is reset by an administrator (`otp_device_reset`),
    so a stolen password alone cannot add a code app."""
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValueError("brugeren har allerede en kodeapp; den nulstilles af en administrator")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
            _audit(user=user, action="otp.enrolment_start", device=device)
        return device


def otp_code_check(*, user: User, device: TOTPDevice, code: str) -> OtpCheck:
    """Check a code from the code app. The first right code confirms a code app being set up
    (`otp.device_confirm`); a wrong code is audited (`otp.verification_fail`), and so is a try while the
    code app makes its owner wait (`otp.verification_throttled`)."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, details = locked.verify_is_allowed()
        if not allowed:
            wait = 0
            if details and details.get("locked_until") is not None:
                wait = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
            _audit(
                user=user,
                action="otp.verification_throttled",
                device=locked,
                after={"failures": locked.throttling_failure_count},
            )
            return OtpCheck(OtpOutcome.THROTTLED, locked, wait)
        if not locked.verify_token(code.replace(" ", "")):
            _audit(
                user=user,
                action="otp.verification_fail",
                device=locked,
                after={"failures": locked.throttling_failure_count},
            )
            return OtpCheck(OtpOutcome.WRONG, locked)
        if not locked.confirmed:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            _audit(user=user, action="otp.device_confirm", device=locked)
        else:
            _audit(user=user, action="otp.verify", device=locked)
        return OtpCheck(OtpOutcome.VERIFIED, locked)


def otp_device_reset(*, user: User, actor: User | None) -> int:
    """Remove the user's code app (a lost or new phone): at the next local log-in they set up a new one.
    Sessions verified by the old one are no longer verified. Returns how many code apps were removed."""
    with transaction.atomic():
        devices = list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True))
        TOTPDevice.objects.filter(pk__in=devices).delete()
        audit_record(
            actor=actor,
            action="otp.device_reset",
            municipality=user.municipality,
            target_type="user",
            target_id=user.pk,
            target_label=user.username,
            before={"devices": devices},
            after={"devices": []},
        )
    return len(devices)


def sso_refusal_record(*, username: str, reason: str) -> None:
    """Audit a single sign-on the identity provider accepted and Sagstilsyn refused (`login.sso_refused`):
    a user name not in the staff register or deactivated, no user name, or a token not meant for us."""
    audit_record(
        actor=None,
        actor_label="kommunens login",
        action="login.sso_refused",
        target_type="user",
        target_label=username[:300],
        after={"reason": reason},
    )
