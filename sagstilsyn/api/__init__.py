"""The REST API for case systems (DUBU, Nexus, CSC Social) that push events: /api/v1/ (django-ninja)."""
