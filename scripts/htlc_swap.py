"""An atomic dCNY -> dHKD swap across two local ledgers (Ganache as the mainland ledger, Anvil as Hong Kong's).

    brownie compile && python scripts/htlc_swap.py [--port-a 8620 --port-b 8621] [--path happy|failure|both]

Starts both nodes, deploys a registry, a deposit token and a HashedTimelock on each, runs the swap, prints the
balances, and stops the nodes. The logic lives in crosspay.swap; the keys are the nodes' own unlocked test accounts.
"""

import argparse

from crosspay.swap.protocol import play


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-a", type=int, help="mainland ledger (Ganache) port; default: a free one in 8620-8629")
    parser.add_argument("--port-b", type=int, help="Hong Kong ledger (Anvil) port")
    parser.add_argument("--chain-id-a", type=int, default=1337)
    parser.add_argument("--chain-id-b", type=int, default=31337)
    parser.add_argument("--path", choices=["happy", "failure", "both"], default="both")
    args = parser.parse_args(argv)
    ports = (args.port_a, args.port_b) if args.port_a is not None and args.port_b is not None else None
    play(["happy", "failure"] if args.path == "both" else [args.path], ports, (args.chain_id_a, args.chain_id_b))


if __name__ == "__main__":
    main()
