"""Deploys the Crosspay suite and records it in deployments/<chainId>.json (crosspay.deploy.run).

    make deploy NETWORK=sepolia [DRY_RUN=1]            (the same as the next line)
    python scripts/deploy.py --network sepolia [--dry-run]
    brownie run scripts/deploy.py --network sepolia     (brownie's runner; DRY_RUN=1 in the environment for a dry run)

Rerunning resumes a deployment that stopped halfway; nothing recorded is deployed twice. The deployer's key, the
confirmations and the role holders come from the environment or .env: see crosspay/deploy/run.py.
"""

import sys

from crosspay.deploy.run import brownie_main
from crosspay.deploy.run import main as deploy_main


def main():
    """Entry point for `brownie run scripts/deploy.py` (the network is already connected)."""
    sys.exit(brownie_main())


if __name__ == "__main__":
    sys.exit(deploy_main())
