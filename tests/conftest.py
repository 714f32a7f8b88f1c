"""The suite's fixtures, listed module by module (tests/fixtures/), and the isolation every test runs in.

Helpers that are not fixtures (parameters, revert assertions, the clock, the state-machine runner) are in
tests/helpers.py.
"""

import pytest

pytest_plugins = [
    "fixtures.accounts",
    "fixtures.foundation",
    "fixtures.settlement",
    "fixtures.crossborder",
    "fixtures.adversarial",
    "fixtures.crosscurrency",
]


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    pass
