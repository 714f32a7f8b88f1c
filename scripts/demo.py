"""A day of Crosspay on a local chain: `make demo` (Ganache), `make demo NETWORK=anvil`, or the load mode
`make demo LIFECYCLES=1000` (N customer lifecycles of every payment kind, at the node's speed, measured) and
`make demo LOAD_SCALING=1` (N = 100, 1,000 and 10,000). The story is in crosspay/demo/, the load in
crosspay/demo/load/."""

import sys

from crosspay.demo.load import load_sizes_from_env
from crosspay.demo.run import run_demo


def main():
    sys.exit(run_demo(load_sizes=load_sizes_from_env()))
