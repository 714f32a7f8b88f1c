"""crosspay.deploy.network.recheck_dropped_transactions, on the suite's own chain: brownie looks for a receipt once more
before it calls a transaction dropped.

Anvil's race (the sender's nonce raised before the block's receipts are stored) is reproduced by having the node's
first receipt answer for the transaction withheld: brownie reads the raised nonce and no receipt, which is what it
calls "dropped without known replacement".
"""

import threading

import pytest
from brownie import accounts, web3
from brownie.exceptions import TransactionError
from brownie.network.transaction import TransactionReceipt
from web3.exceptions import TransactionNotFound

from helpers import on_anvil


@pytest.fixture
def receipts_withheld(monkeypatch):
    """Withholds the node's answer to the first `count` receipt queries for `sender`'s next transaction. Queries for
    any other transaction are answered: brownie threads of earlier tests may still be polling."""

    def withhold(sender, count):
        real = web3.eth.get_transaction_receipt
        next_nonce = web3.eth.get_transaction_count(sender.address)
        left = {"count": count}

        def ours(txid) -> bool:
            try:
                tx = web3.eth.get_transaction(txid)
            except TransactionNotFound:
                return False
            return (tx["from"], tx["nonce"]) == (sender.address, next_nonce)

        def answer(txid):
            if left["count"] > 0 and ours(txid):
                left["count"] -= 1
                raise TransactionNotFound(f"withheld by the test: {txid}")
            return real(txid)

        monkeypatch.setattr(web3.eth, "get_transaction_receipt", answer)

    return withhold


def test_a_transaction_whose_receipt_comes_late_is_confirmed_not_dropped(receipts_withheld):
    sender, receiver = accounts[0], accounts[1]
    receipts_withheld(sender, 1)
    before = receiver.balance()

    tx = sender.transfer(receiver, 1)

    assert tx.status == 1
    assert tx.block_number == web3.eth.get_transaction_receipt(tx.txid)["blockNumber"]
    assert receiver.balance() == before + 1


def test_without_the_recheck_brownie_calls_that_transaction_dropped(receipts_withheld, monkeypatch):
    patched = TransactionReceipt._await_confirmation
    monkeypatch.setattr(TransactionReceipt, "_await_confirmation", patched.__wrapped__)
    receipts_withheld(accounts[0], 1)

    with pytest.raises(TransactionError, match="dropped without known replacement"):
        accounts[0].transfer(accounts[1], 1)


def test_a_transaction_whose_receipt_never_comes_is_still_reported_dropped(receipts_withheld):
    receipts_withheld(accounts[0], 10**9)

    with pytest.raises(TransactionError, match="dropped without known replacement"):
        accounts[0].transfer(accounts[1], 1)


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_receipt_awaited_by_its_thread_and_by_wait_at_once_is_confirmed_once():
    # As helpers.at_time does: sent with required_confs=0 while mining is paused (brownie's thread awaits the receipt),
    # then awaited again by tx.wait(1) in the test's thread once a block is mined: two waits on one receipt at once.
    sender, receiver = accounts[0], accounts[1]
    before = receiver.balance()
    pause, resume = (("evm_setAutomine", [False]), ("evm_setAutomine", [True])) if on_anvil() else (
        ("miner_stop", []), ("miner_start", []))  # fmt: skip
    earlier = set(threading.enumerate())
    web3.provider.make_request(*pause)
    try:
        tx = sender.transfer(receiver, 1, required_confs=0)
        web3.provider.make_request("evm_mine", [])
    finally:
        web3.provider.make_request(*resume)
    tx.wait(1)
    for thread in set(threading.enumerate()) - earlier:  # brownie's own wait ends too (its error fails the test)
        thread.join(timeout=5)

    assert tx._confirmed.wait(timeout=5)
    assert tx.status == 1
    assert receiver.balance() == before + 1
