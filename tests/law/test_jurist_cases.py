"""Every jurist case file in sagstilsyn/law/catalogue/tests/ runs as ordinary pytest items."""

from __future__ import annotations

import pytest

from sagstilsyn.law import default_catalogue
from sagstilsyn.law.jurist_cases import run_case
from tests.law.catalogue_cases import CaseItem, all_items


@pytest.mark.parametrize("item", all_items(), ids=[item.id for item in all_items()])
def test_jurist_case(item: CaseItem) -> None:
    if item.error is not None:
        pytest.fail(item.error)
    assert item.case is not None
    result = run_case(item.case, default_catalogue())
    assert result.passed, "\n".join(result.failures)
