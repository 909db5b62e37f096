"""The child's name (barnets navn), protected like the CPR number: checked, encrypted at rest, shown only
to those who may open the child's case.

The name comes from the case system (the events file's optional `child_name` column, data-contract.md §1
as extended in docs/contract-extensions.md, and the API). It is stored encrypted with a key derived from
the CPR key (`SAGSTILSYN_CPR_KEY`) under its own label, so a database copy without the key holds no name.
It is never written to a log, an error message or report (`CHILD_NAME_MASK`), a URL, an export, an
aggregate or a committee view.
"""

from __future__ import annotations

import base64
import hashlib
import re

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from sagstilsyn.core.text_hygiene import free_text_problem

#: The longest name kept (Danish names run long; this is room for every part of one).
CHILD_NAME_MAX = 150
#: What an error report shows in place of the name: the name itself is never repeated.
CHILD_NAME_MASK = "[navn skjult]"
_SPACES = re.compile(r"\s+")


class ChildNameKeyError(Exception):
    """A stored name cannot be read: SAGSTILSYN_CPR_KEY is not the key that encrypted it."""


def child_name_clean(value: str) -> str:
    """The name with its spaces made single and its ends trimmed ('  Ida   Holm ' → 'Ida Holm')."""
    return _SPACES.sub(" ", value).strip()


def child_name_problem(value: str) -> str | None:
    """Why a child's name is refused, in Danish after "navnet …" (a control character, a CPR number, too
    long); None when it may be stored. The message never repeats the name."""
    problem = free_text_problem(value)
    if problem is not None:
        return problem
    if len(child_name_clean(value)) > CHILD_NAME_MAX:
        return f"er for langt (højst {CHILD_NAME_MAX} tegn)"
    return None


def _fernet() -> Fernet:
    key = hashlib.sha256(f"sagstilsyn-child-name-fernet:{settings.CPR_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def child_name_encrypt(name: str) -> str:
    """The cleaned name, encrypted ('' for no name). Check it with `child_name_problem` first."""
    cleaned = child_name_clean(name)
    return _fernet().encrypt(cleaned.encode()).decode() if cleaned else ""


def child_name_decrypt(cipher: str) -> str:
    """The name in `cipher` ('' for none); ChildNameKeyError when the key in use did not encrypt it."""
    if not cipher:
        return ""
    try:
        return _fernet().decrypt(cipher.encode()).decode()
    except InvalidToken as error:
        raise ChildNameKeyError("Barnets navn kan ikke læses med den CPR-nøgle, der er sat") from error
