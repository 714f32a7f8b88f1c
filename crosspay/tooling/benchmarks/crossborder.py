"""Gas of the cross-border contracts (area "crossborder"), in the steady state issue 4 describes.

Steady state: the beneficiary, the liquidity provider and the fee account already hold the tokens concerned, the
tokens already have record indices, and the escrow (and the HTLC) hold other open transfers (locks). Approvals are
exact: the payer approves each pull for exactly its amount, as a bank's wallet should (no standing allowance), so the
pull takes the allowance to zero. Every figure is a
receipt's gasUsed, the 21,000 base included.

`make gas` (scripts/gas_report.py) calls `measure()` with the other benchmarks.
"""

from crosspay.tooling.gas import GasFigure, figure, foundation_roles, local_account, scenario

AREA = "crossborder"

TARGETS = {
    "escrow initiate": 145_000,
    "escrow release": 100_000,
    "escrow refund": 65_000,
    "htlc lock": 110_000,
    "htlc claim": 62_000,
    "htlc refund": 60_000,
}

_YEAR = 365 * 24 * 3600
_HOUR = 3600


def _two_ledger_swap() -> GasFigure:
    """One HTLC swap across two real chains (Ganache and Anvil started side by side): both approvals, both locks and
    both claims."""
    from crosspay.swap.protocol import swap_on_fresh_ledgers

    receipts = swap_on_fresh_ledgers(1_000_00, 1_084_50).receipts
    gas = sum(int(r["gasUsed"]) for r in receipts)
    return GasFigure(
        "scenario",
        "HTLC swap across two chains",
        gas,
        None,
        f"{len(receipts)} transactions: approve + lock on each chain, claim on each",
        kind="scenario",
    )


def measure() -> list[GasFigure]:
    from brownie import accounts, chain

    from crosspay.core import fx
    from crosspay.core.htlc import new_secret
    from crosspay.core.iso import jurisdiction
    from crosspay.deploy.plan import ESCROW, HTLC, REGISTRY, deploy
    from crosspay.deploy.record import Deployer
    from crosspay.onchain import now

    admin, kyc, enforcer, issuer, auditor, pauser = accounts[0:6]
    sender, beneficiary, fee_account, relayer, compliance = accounts[6:11]
    lp = local_account("crossborder liquidity provider", funder=admin)  # the LP signs quotes: it needs a key

    more = {"escrow_fee_account": fee_account, "liquidity_provider": lp, "compliance": compliance}
    roles = foundation_roles(kyc, enforcer, issuer, auditor, pauser, **more)
    system = deploy(Deployer.immediate(admin), roles, parts=[REGISTRY, "dCNY", "dHKD", ESCROW, HTLC])
    registry, escrow, htlc = system.registry, system.escrow, system.htlc
    until = now() + _YEAR
    registry.setVerifiedBatch([sender, fee_account, lp, relayer], jurisdiction("CN"), until, {"from": kyc})
    registry.setVerified(beneficiary, jurisdiction("HK"), until, {"from": kyc})

    def issue(token, holders):
        token.setIssuerAllowance(issuer, 10**15, {"from": admin})
        token.attestReserves(10**15, b"\x01" * 32, {"from": auditor})
        for holder in holders:
            token.mint(holder, 10**9, b"\x02" * 32, {"from": issuer})
        return token

    cny = issue(system.tokens["dCNY"], [sender, lp, fee_account])
    hkd = issue(system.tokens["dHKD"], [lp, beneficiary])

    def quote(amount=1_000_00):
        q = fx.quote_from_source(cny, hkd, amount, "1.0845", lp, now() + _HOUR)
        return q, fx.sign_quote(lp.private_key, q, chain.id, escrow).packed

    def initiate(amount=1_000_00, deadline=_HOUR):
        q, sig = quote(amount)
        offer = fx.offer(q, escrow.feeBps())  # the sender passes the fee it was shown as maxFee
        cny.approve(escrow, offer.total, {"from": sender})
        hkd.approve(escrow, q.target_amount, {"from": lp})
        return escrow.initiate(
            *fx.initiate_args(offer, sig, beneficiary, now() + deadline, b"\x03" * 32), {"from": sender}
        )

    # Warm up: leave transfers open in the escrow (the plan's setToken gave the tokens their indices).
    initiate()
    initiate(deadline=_YEAR)

    figures = []
    q, sig = quote()
    offer = fx.offer(q, escrow.feeBps())
    remittance = [
        cny.approve(escrow, offer.total, {"from": sender}),
        escrow.initiate(*fx.initiate_args(offer, sig, beneficiary, now() + _HOUR, b"\x03" * 32), {"from": sender}),
        hkd.approve(escrow, q.target_amount, {"from": lp}),
    ]
    remittance.append(escrow.release(remittance[1].return_value, {"from": lp}))
    figures.append(
        scenario(
            "PvP remittance CNY -> HKD", remittance, note="sender approves and initiates; the LP approves and releases"
        )
    )
    tx = initiate(deadline=2 * _HOUR)
    figures.append(figure(AREA, "escrow initiate", tx, TARGETS["escrow initiate"], "fee 30 bps, exact approval"))
    tx = escrow.release(tx.return_value, {"from": lp})
    figures.append(
        figure(
            AREA,
            "escrow release",
            tx,
            TARGETS["escrow release"],
            "2 transfers (the PvP legs); the fee is credited to the fee ledger",
        )
    )
    to_refund = initiate(deadline=_HOUR).return_value
    to_reject = initiate(deadline=_HOUR).return_value
    tx = escrow.reject(to_reject, b"\x04" * 32, {"from": compliance})
    figures.append(figure(AREA, "escrow reject", tx, None, "by COMPLIANCE_ROLE"))
    chain.sleep(_HOUR + 1)
    chain.mine()
    tx = escrow.refund(to_refund, {"from": relayer})
    figures.append(figure(AREA, "escrow refund", tx, TARGETS["escrow refund"], "after the deadline, by anyone"))
    tx = escrow.withdrawFees(cny, {"from": fee_account})
    figures.append(figure(AREA, "escrow withdrawFees", tx, None, "the fee account pulls its fees"))

    # HTLC: index the tokens and leave locks open.
    def lock(token, owner, amount, recipient, hashlock, timelock):
        token.approve(htlc, amount, {"from": owner})
        return htlc.lock(token, amount, recipient, hashlock, timelock, {"from": owner})

    current = now()
    for token, owner, recipient in ((cny, sender, lp), (hkd, lp, beneficiary)):
        token.approve(htlc, 1_000_00, {"from": owner})
        htlc.lock(token, 1_000_00, recipient, new_secret()[1], current + _YEAR, {"from": owner})
    preimage, hashlock = new_secret()
    tx = lock(cny, sender, 1_000_00, lp, hashlock, now() + _HOUR)
    figures.append(figure(AREA, "htlc lock", tx, TARGETS["htlc lock"]))
    tx = htlc.claim(tx.return_value, preimage, {"from": relayer})
    figures.append(figure(AREA, "htlc claim", tx, TARGETS["htlc claim"], "by a relayer"))
    tx = lock(cny, sender, 1_000_00, lp, new_secret()[1], now() + _HOUR)
    chain.sleep(_HOUR + 1)
    chain.mine()
    tx = htlc.refund(tx.return_value, {"from": relayer})
    figures.append(figure(AREA, "htlc refund", tx, TARGETS["htlc refund"], "at the timelock, by anyone"))

    # One HTLC swap end to end, both legs on this one chain for scale.
    preimage, hashlock = new_secret()
    current = now()
    txs = [
        lock(cny, sender, 1_000_00, lp, hashlock, current + 2 * _HOUR),
        lock(hkd, lp, 1_084_50, beneficiary, hashlock, current + _HOUR),
    ]
    txs.append(htlc.claim(txs[1].return_value, preimage, {"from": beneficiary}))
    txs.append(htlc.claim(txs[0].return_value, preimage, {"from": relayer}))
    figures.append(
        GasFigure(
            AREA, "htlc swap end to end (one chain)", sum(int(t.gas_used) for t in txs), None, "2 locks + 2 claims"
        )
    )
    figures.append(_two_ledger_swap())
    return figures
