"""A day of Crosspay on a local chain: `make demo` (Ganache), `make demo NETWORK=anvil`, or the load mode
`make demo LIFECYCLES=1000` (N randomized customer lifecycles, measured)."""

import sys

from crosspay.demo.day import run_demo
from crosspay.demo.load import lifecycles_from_env
from crosspay.deploy.run import deploy_on_network


def main():
    sys.exit(run_demo(deploy_on_network, lifecycles=lifecycles_from_env()))
