"""Helpers for the API tests: a JSON client that sends a bearer token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client


class ApiCaller:
    def __init__(self, client: Client):
        self.client = client

    def post(self, path: str, body: Any, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(path, data=data, content_type="application/json", headers=headers)

    def get(self, path: str, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return self.client.get(path, headers=headers)


@pytest.fixture
def api(client: Client) -> ApiCaller:
    return ApiCaller(client)
