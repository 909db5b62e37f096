"""Bulk helpers of the services: the garbage-collector pause."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from sagstilsyn.cases.services.bulk import gc_paused


@pytest.fixture(autouse=True)
def _gc_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_paused_inside_and_enabled_again_after() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the inner exit must not enable it early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restores_the_collector() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_json_text_of_empty_and_filled_values() -> None:
    from sagstilsyn.cases.services.bulk import _json_text

    cache: dict[object, tuple[object, str]] = {}
    assert _json_text(cache, {}) == "{}"
    assert _json_text(cache, []) == "[]"
    assert _json_text(cache, None) is None
    assert _json_text(cache, {"abuse": True}) == '{"abuse": true}'
    assert _json_text(cache, {"abuse": 1}) == '{"abuse": 1}'  # True and 1 are not the same value
    assert _json_text(cache, ["Fristen udløber lørdag"]) == '["Fristen udl\\u00f8ber l\\u00f8rdag"]'
