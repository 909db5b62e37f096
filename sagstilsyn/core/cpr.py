"""CPR numbers (personnummer), protected: normalised, encrypted at rest, hashed for look-up, masked.

A CPR number is never echoed in an error message, a log line, a URL or an export meant for leaders:
errors name the row and the column and say what is wrong, not the value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings

CPR_PATTERN = re.compile(r"^(\d{6})-?(\d{4})$")
#: Anything shaped like a CPR number, for redaction in logs and reports.
CPR_LIKE = re.compile(r"(?<!\d)([0-3]\d[01]\d\d{2})-?(\d{4})(?!\d)")


class CprError(ValueError):
    """A malformed CPR number; the message never contains the value."""


def cpr_normalize(value: str) -> str:
    """Ten digits (DDMMYYNNNN) from DDMMYY-NNNN or DDMMYYNNNN, or CprError."""
    match = CPR_PATTERN.match(value.strip())
    if not match:
        raise CprError("CPR-nummeret skal have formen DDMMÅÅ-NNNN eller DDMMÅÅNNNN")
    digits = match.group(1) + match.group(2)
    day, month = int(digits[0:2]), int(digits[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise CprError("CPR-nummerets dato er ugyldig")
    return digits


def _fernet() -> Fernet:
    key = hashlib.sha256(f"sagstilsyn-cpr-fernet:{settings.CPR_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def cpr_encrypt(cpr: str) -> str:
    return _fernet().encrypt(cpr_normalize(cpr).encode()).decode()


def cpr_decrypt(cipher: str) -> str:
    return _fernet().decrypt(cipher.encode()).decode()


def cpr_digest(cpr: str) -> str:
    """A keyed hash of the normalised number, for exact look-up without decrypting."""
    key = f"sagstilsyn-cpr-digest:{settings.CPR_KEY}".encode()
    return hmac.new(key, cpr_normalize(cpr).encode(), hashlib.sha256).hexdigest()


def cpr_mask(cpr: str) -> str:
    """DDMMYY-XXXX: the birth date stays readable, the serial number is hidden."""
    digits = cpr_normalize(cpr)
    return f"{digits[:6]}-XXXX"


def cpr_format(cpr: str) -> str:
    digits = cpr_normalize(cpr)
    return f"{digits[:6]}-{digits[6:]}"


def redact(text: str) -> str:
    """Replace anything shaped like a CPR number with a mask (for logs and free text)."""
    return CPR_LIKE.sub(lambda m: f"{m.group(1)}-XXXX", text)
