"""Off-chain tests touch no chain, so they run without the suite's isolation (tests/conftest.py): no snapshot is
taken and none reverted around them."""

import pytest


@pytest.fixture(autouse=True)
def isolation():
    """Overrides tests/conftest.py's isolation for this folder: nothing to isolate."""
