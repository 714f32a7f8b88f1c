"""What Crosspay's programs do on a brownie network besides deploying: the chain's clock, a contract's events,
accounts with keys derived from a name, and the payer's permit-then-authorize flow. (crosspay.core holds the rules;
this module talks to the chain.)"""

from __future__ import annotations


def now() -> int:
    """The chain's time: the latest block's timestamp. brownie's chain.time() is a local estimate that drifts from
    Anvil's clock after snapshots are reverted; the latest block never does, and the next block is at or after it."""
    from brownie import web3

    return web3.eth.get_block("latest").timestamp


def events(contract, name: str) -> list:
    """Every `name` event `contract` has emitted since the genesis block."""
    return list(contract.events.get_sequence(from_block=0, event_type=name))


def keyed_account(seed: str, funder=None, ether: str = "1 ether"):
    """A brownie local account whose key is keccak256(`seed`), the same every run, funded by `funder` while it holds
    no ether. Fixed keys keep addresses (and the zero bytes in calldata that name them) the same every run."""
    from brownie import accounts
    from eth_utils import keccak

    account = accounts.add(keccak(text=seed))
    if funder is not None and account.balance() == 0:
        funder.transfer(account, ether)
    return account


def authorize_with_permit(
    settlement, token, intent, payer, permit_deadline: int, permit_signature, capture_now: bool = False, tx_params=None
):
    """The payer's permit + authorize (or charge) flow, tolerant of a front-run permit.

    A permit is public once broadcast: anyone may submit it first, which spends its nonce, so the payer's own permit
    transaction then reverts. The allowance it grants is the same whoever submitted it, so the flow skips the permit
    when the allowance already covers the intent, and treats a reverted permit as harmless if the allowance covers it
    afterwards. Returns the authorize (or charge) receipt.
    """
    import brownie

    params = {"from": payer, **(tx_params or {})}
    if token.allowance(payer, settlement) < intent.amount:
        try:
            token.permit(payer, settlement, intent.amount, permit_deadline, *permit_signature.as_args(), params)
        except brownie.exceptions.VirtualMachineError:
            if token.allowance(payer, settlement) < intent.amount:
                raise
    method = settlement.charge if capture_now else settlement.authorize
    return method(intent.as_tuple(), params)
