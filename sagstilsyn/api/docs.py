"""Swagger UI for /api/v1/docs, served without the internet.

django-ninja loads Swagger UI from a CDN unless "ninja" is an installed app. Instead of that, this page
uses the copy of Swagger UI that ships inside the ninja package, served by `docs_asset` below, so the
docs work offline and load nothing from other hosts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
#: The only files `docs_asset` serves, with their content types.
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}


class LocalSwagger(DocsBase):
    """Swagger UI from the local copy; no validator badge (it would call validator.swagger.io)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,
        }
        assets = {
            name.split(".")[0].replace("-", "_"): reverse("api-docs-asset", args=[name]) for name in ASSETS
        }
        context = {"api": api, "swagger_settings": json.dumps(settings), "assets": assets}
        return render(request, "api/docs.html", context)


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404(name)
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
