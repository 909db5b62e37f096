"""Reads for the second factor: a user's code app (TOTP device), and how to show its key when setting it
up (a QR code as SVG, drawn here, and the key to type in by hand)."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_totp.models import TOTPDevice

from sagstilsyn.core.models import User


def otp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's code app once set up (confirmed), or None."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device


def otp_device_pending(*, user: User) -> TOTPDevice | None:
    """The code app being set up: made, not yet confirmed with a code."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device


def otp_manual_key(*, device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into a code app by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


def otp_qr_svg(*, device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code in SVG, drawn on the server (nothing is fetched)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=16)
    svg: bytes = image.to_string()
    return svg.decode("utf-8")
