"""The demo's summary tables, read from the chain: balances per actor, fees per party, settlement per merchant."""

from __future__ import annotations

from rich.table import Table

from crosspay.core.encoding import bytes32
from crosspay.onchain import events


def balances_table(system, cast) -> Table:
    table = Table(title="Balances per actor")
    table.add_column("actor")
    for symbol in system.tokens:
        table.add_column(symbol, justify="right")
    holders = [(a.name, a.address) for a in cast.everyone]
    holders += [(f"{name} (contract)", c.address) for name, c in system.contracts.items()]
    for name, address in holders:
        table.add_row(name, *(f"{t.balanceOf(address) / 100:,.2f}" for t in system.tokens.values()))
    table.add_row("[bold]total supply", *(f"[bold]{t.totalSupply() / 100:,.2f}" for t in system.tokens.values()))
    return table


def fees_table(system, cast) -> Table:
    c, settlement = cast, system.settlement
    table = Table(title="Fees earned per party")
    table.add_column("party")
    table.add_column("earned as")
    for symbol in system.tokens:
        table.add_column(f"{symbol} owed", justify="right")
    for party, role in (
        (c.mainland_bank, "issuer (interchange)"),
        (c.harbour_bank, "issuer (interchange)"),
        (c.network, "card network"),
        (c.acquirer, "acquirer"),
    ):
        table.add_row(
            party.name, role, *(f"{settlement.feesOwed(party.address, t) / 100:,.2f}" for t in system.tokens.values())
        )
    withdrawals = events(settlement, "FeesWithdrawn")
    withdrawn = [
        sum(e.args.amount for e in withdrawals if e.args.token == token.address) for token in system.tokens.values()
    ]
    table.add_row("(already withdrawn)", "pull ledger", *(f"{w / 100:,.2f}" for w in withdrawn))
    # The treasury is the escrow's fee account: its fees are a pull ledger in the escrow too.
    table.add_row(
        c.treasury.name,
        "cross-border fee",
        *(f"{system.escrow.feesOwed(c.treasury.address, t) / 100:,.2f}" for t in system.tokens.values()),
    )
    return table


def settlement_table(system, cast) -> Table:
    """Each merchant's settlements, from the MerchantSettled events (their batch's token from BatchSettled)."""
    settlement = system.settlement
    symbols = {token.address: symbol for symbol, token in system.tokens.items()}
    batch_token = {bytes32(e.args.batchId): symbols[e.args.token] for e in events(settlement, "BatchSettled")}
    names = {m.id: m.name for m in cast.merchants}
    table = Table(title="Settlement per merchant")
    for column in ("merchant", "token", "gross", "fees", "refunds", "net paid"):
        table.add_column(column, justify="left" if column in ("merchant", "token") else "right")
    for event in events(settlement, "MerchantSettled"):
        figures = (event.args[k] for k in ("gross", "fees", "refunds", "net"))
        table.add_row(
            names[bytes32(event.args.merchantId)],
            batch_token[bytes32(event.args.batchId)],
            *(f"{amount / 100:,.2f}" for amount in figures),
        )
    return table
