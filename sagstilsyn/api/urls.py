"""URLs of the API: /api/v1/ (endpoints, openapi.json, docs) and the docs page's local assets."""

from django.urls import path

from sagstilsyn.api.docs import docs_asset
from sagstilsyn.api.endpoints import api

urlpatterns = [
    path("v1/docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("v1/", api.urls),
]
