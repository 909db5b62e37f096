"""Tests of migrations that move data: migrate the test database to a named state and back again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str]) -> MigrationExecutor:
    """The test database migrated to `target` (app label, migration name), and the executor that did it."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor


@pytest.fixture
def latest_schema_after() -> Iterator[None]:
    """Whatever the test migrates to, the database ends at the latest migrations again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
