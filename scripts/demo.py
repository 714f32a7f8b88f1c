"""A day of Crosspay on a local chain: `make demo` (Ganache), `make demo NETWORK=anvil`, or the load mode
`make demo LIFECYCLES=1000` (N randomized customer lifecycles, measured). The story is in crosspay/demo/."""

import sys

from crosspay.demo.load import lifecycles_from_env
from crosspay.demo.run import run_demo


def main():
    sys.exit(run_demo(lifecycles=lifecycles_from_env()))
