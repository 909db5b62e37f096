"""ASGI entry point (``sagstilsyn.asgi:application``).

Before it serves, the process checks the CPR key against the stored check value: a wrong
SAGSTILSYN_CPR_KEY stops the start with a Danish message (ADR 0017).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sagstilsyn.settings")

application = get_asgi_application()

from sagstilsyn.core.services.cpr_key import cpr_key_startup  # noqa: E402 - needs the apps loaded

cpr_key_startup()
