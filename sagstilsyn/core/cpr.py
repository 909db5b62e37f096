"""CPR numbers (personnummer), protected: normalised, encrypted at rest, hashed for look-up, masked.

A CPR number is never echoed in an error message, a log line, a URL or an export meant for leaders:
errors name the row and the column and say what is wrong, not the value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

CPR_PATTERN = re.compile(r"^(\d{6})-?(\d{4})$")
#: A candidate CPR number inside any text: six digits, an optional dash, four digits, not part of a
#: longer run of digits. `cpr_spans` keeps the candidates that have a birth date (`cpr_birth_date`).
CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
#: Said whenever a free text is refused for holding a CPR number.
CPR_IN_TEXT = "må ikke indeholde et CPR-nummer; skriv barnets id i fagsystemet i stedet"


class CprError(ValueError):
    """A malformed CPR number; the message never contains the value."""


class CprKeyError(Exception):
    """A stored CPR number cannot be read: SAGSTILSYN_CPR_KEY is not the key that encrypted it."""


#: The fixed text whose keyed hash under the CPR key is the key's check value (kontrolværdi).
CPR_KEY_CHECK_LABEL = b"sagstilsyn-cpr-key-check-v1"


def cpr_normalize(value: str) -> str:
    """Ten digits (DDMMYYNNNN) from DDMMYY-NNNN or DDMMYYNNNN, or CprError."""
    match = CPR_PATTERN.match(value.strip())
    if not match:
        raise CprError("CPR-nummeret skal have formen DDMMÅÅ-NNNN eller DDMMÅÅNNNN")
    digits = match.group(1) + match.group(2)
    if cpr_birth_date(digits) is None:
        raise CprError("CPR-nummerets dato er ugyldig")
    return digits


def _fernet() -> Fernet:
    key = hashlib.sha256(f"sagstilsyn-cpr-fernet:{settings.CPR_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def cpr_encrypt(cpr: str) -> str:
    return _fernet().encrypt(cpr_normalize(cpr).encode()).decode()


def cpr_decrypt(cipher: str) -> str:
    """The CPR number in `cipher`; CprKeyError when the key in use did not encrypt it."""
    try:
        return _fernet().decrypt(cipher.encode()).decode()
    except InvalidToken as error:
        raise CprKeyError("CPR-nummeret kan ikke læses med den CPR-nøgle, der er sat") from error


def cpr_key_check_value() -> str:
    """The check value of the CPR key in use: a keyed hash of a fixed label, stored once and compared
    at every start, so a wrong key stops Sagstilsyn instead of failing on every case page (ADR 0017).
    It says nothing about the key itself or any CPR number."""
    key = f"sagstilsyn-cpr-key-check:{settings.CPR_KEY}".encode()
    return hmac.new(key, CPR_KEY_CHECK_LABEL, hashlib.sha256).hexdigest()


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


def _century(year: int, seventh: int) -> int:
    """The century of a CPR number's birth year, read from its seventh digit (the CPR office's table):
    0-3 the 1900s; 4 and 9 the 2000s up to year 36, else the 1900s; 5-8 the 2000s up to year 57, else
    the 1800s."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year <= 36 else 1900
    return 2000 if year <= 57 else 1800


def cpr_birth_date(digits: str) -> date | None:
    """The birth date of ten digits DDMMYYNNNN, or None when there is no such day: the one definition of
    a valid CPR date, for `cpr_normalize` and the detector alike. The century comes from the seventh
    digit, so 290200-4xxx (2000, a leap year) is a date and 290200-1xxx (1900) is not. The modulus-11
    check is not made: numbers given since 2007 need not pass it."""
    if len(digits) != 10 or not digits.isdigit():
        return None
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    try:
        return date(_century(year, int(digits[6])) + year, month, day)
    except ValueError:
        return None


def cpr_spans(text: str) -> list[re.Match[str]]:
    """The CPR numbers in `text`: a valid DDMMYY date followed by four digits, with or without a dash,
    also inside longer text (`SAG-090917-9679`); the date is valid in the century the seventh digit
    gives (`cpr_birth_date`). The one detector: refusal and redaction use it."""
    return [match for match in CPR_LIKE.finditer(text) if cpr_birth_date(match.group(1) + match.group(2))]


def contains_cpr(text: str) -> bool:
    """Whether `text` holds a CPR number anywhere (see `cpr_spans`)."""
    return bool(cpr_spans(text))


def redact(text: str) -> str:
    """Replace every CPR number in `text` with its mask DDMMYY-XXXX (for logs, pages and reports)."""
    spans = cpr_spans(text)
    for match in reversed(spans):
        text = f"{text[: match.start()]}{match.group(1)}-XXXX{text[match.end() :]}"
    return text
