"""An atomic dCNY -> dHKD swap across two local ledgers (Ganache as the mainland ledger, Anvil as Hong Kong's).

    brownie compile && python scripts/htlc_swap.py [--port-a 8620 --port-b 8621] [--path happy|failure|both]

Starts both nodes, deploys a registry, a deposit token and a HashedTimelock on each, runs the swap, prints the
balances, and stops the nodes. The logic lives in crosspay.swap.protocol; the keys are the nodes' own unlocked test accounts.
"""

import argparse

from rich.console import Console
from rich.table import Table

from crosspay.swap.nodes import free_ports, start_node
from crosspay.swap.protocol import run_swap, setup_ledgers

CNY = 1_000_00
HKD = 1_084_50


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-a", type=int, help="mainland ledger (Ganache) port; default: a free one in 8620-8629")
    parser.add_argument("--port-b", type=int, help="Hong Kong ledger (Anvil) port")
    parser.add_argument("--chain-id-a", type=int, default=1337)
    parser.add_argument("--chain-id-b", type=int, default=31337)
    parser.add_argument("--path", choices=["happy", "failure", "both"], default="both")
    args = parser.parse_args(argv)
    console = Console()
    port_a, port_b = args.port_a, args.port_b
    if port_a is None or port_b is None:
        port_a, port_b = free_ports(2)
    paths = ["happy", "failure"] if args.path == "both" else [args.path]
    for path in paths:
        nodes = []
        try:
            nodes.append(start_node("ganache", port_a, args.chain_id_a))
            nodes.append(start_node("anvil", port_b, args.chain_id_b))
            a, b = setup_ledgers(nodes[0], nodes[1], CNY, HKD)
            result = run_swap(a, b, CNY, HKD, beneficiary_claims=path == "happy")
            for step in result.steps:
                console.print(f"[bold]{path}[/]: {step}")
            table = Table("balance", "before", "after", title=f"{path} path")
            for key, before in result.balances_before.items():
                table.add_row(key, f"{before:,}", f"{result.balances_after[key]:,}")
            console.print(table)
        finally:
            for node in nodes:
                node.stop()


if __name__ == "__main__":
    main()
