"""A day of Crosspay on a local chain: `make demo` (Ganache), `make demo NETWORK=anvil`, or the load mode
`make demo LIFECYCLES=1000` (N randomized customer lifecycles, measured)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploy import deploy  # noqa: E402  (scripts/deploy.py)

from crosspay.demo.day import run_demo  # noqa: E402
from crosspay.demo.load import lifecycles_from_env  # noqa: E402


def main():
    sys.exit(run_demo(deploy, lifecycles=lifecycles_from_env()))
