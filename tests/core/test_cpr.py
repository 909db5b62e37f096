"""CPR numbers: normalised, encrypted, hashed, masked, and redacted from logs."""

from __future__ import annotations

import logging

import pytest

from sagstilsyn.core.cpr import (
    CprError,
    cpr_decrypt,
    cpr_digest,
    cpr_encrypt,
    cpr_mask,
    cpr_normalize,
    redact,
)
from sagstilsyn.core.logging import CprRedactingFilter


def test_normalise_accepts_both_forms_and_errors_do_not_echo_the_value() -> None:
    assert cpr_normalize("010118-1234") == cpr_normalize("0101181234") == "0101181234"
    with pytest.raises(CprError) as caught:
        cpr_normalize("01011-81234")
    assert "01011" not in str(caught.value)
    with pytest.raises(CprError):
        cpr_normalize("321318-1234")


def test_encrypt_round_trip_digest_and_mask() -> None:
    cipher = cpr_encrypt("010118-1234")
    assert "1234" not in cipher
    assert cpr_decrypt(cipher) == "0101181234"
    assert cpr_digest("0101181234") == cpr_digest("010118-1234")
    assert cpr_mask("0101181234") == "010118-XXXX"


def test_redaction_in_text_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    assert redact("barn 010118-1234 og 0202191234") == "barn 010118-XXXX og 020219-XXXX"
    logger = logging.getLogger("test.cpr")
    logger.addFilter(CprRedactingFilter())
    with caplog.at_level(logging.INFO, logger="test.cpr"):
        logger.info("importerede %s", "010118-1234")
    assert "1234" not in caplog.text
    assert "010118-XXXX" in caplog.text
