"""The public contracts ship with the product (docs/contracts/), word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ("rules-contract.md", "data-contract.md", "supervision-contract.md")
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.mark.parametrize("name", CONTRACTS)
def test_each_contract_is_in_the_repository(name: str) -> None:
    text = (ROOT / "docs" / "contracts" / name).read_text(encoding="utf-8")
    title = name.removesuffix(".md").replace("-", " ")
    assert text.startswith(f"# The {title}")


@pytest.mark.parametrize("name", CONTRACTS)
def test_each_contract_equals_the_teams_reference(name: str) -> None:
    reference = REFERENCE / name
    if not reference.exists():
        pytest.skip("the team's reference (../shared/reference) is not checked out beside the repository")
    ours = (ROOT / "docs" / "contracts" / name).read_text(encoding="utf-8")
    assert ours == reference.read_text(encoding="utf-8"), f"docs/contracts/{name} er ikke gældende"
