"""A day of Crosspay on a local chain: `make demo` (Ganache) or `make demo NETWORK=anvil`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploy import deploy  # noqa: E402  (scripts/deploy.py)

from crosspay.demo import run_demo  # noqa: E402


def main():
    sys.exit(run_demo(deploy))
