"""WSGI entry point (``sagstilsyn.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sagstilsyn.settings")

application = get_wsgi_application()
