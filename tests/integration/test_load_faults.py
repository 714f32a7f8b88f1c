"""The load mode (make demo LIFECYCLES=N) against real nodes it starts itself, Ganache and Anvil side by side with
the suite's own chain (ports from CROSSPAY_NODE_PORTS): a small load of every payment kind meets a revert, a
transaction that runs out of gas and one the node drops, survives all three, says so, and leaves every payment's
money where its model says: both legs of the cross-currency payments included (the FX desk's float and credits held
in MerchantSettlement, in both tokens)."""

import pytest

from crosspay.demo.load.engine import Faults, run_load
from crosspay.demo.load.kinds import CROSS_CURRENCY, KINDS, Keyed
from crosspay.demo.load.standalone import standalone_setting
from crosspay.swap.nodes import free_ports, start_node

LIFECYCLES = 36  # the 3 forced faults, then every kind at least once (balanced_kinds)


@pytest.fixture(scope="module", params=["ganache", "anvil"])
def node(request):
    (port,) = free_ports(1)
    started = start_node(request.param, port, 1337, accounts=10)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def setting(node):
    return standalone_setting(node)


@pytest.fixture(scope="module")
def run(setting):
    faults = Faults(revert=1, out_of_gas=1, drop=1)
    return run_load(setting, LIFECYCLES, seed=7, faults=faults, receipt_timeout=2.0, submit_timeout=5.0, ceiling=100)


def lines(run, kind):
    return [line for line in run.incidents if f" {kind}: " in line]


def test_every_payments_money_is_where_the_model_says_after_a_faulty_run(run):
    assert run.problems == []
    assert run.figures["payments"] == LIFECYCLES - 1  # all but the lifecycle whose capture was made to revert
    assert set(run.figures["byKind"]) == set(KINDS)  # every kind completed at least one payment
    assert LIFECYCLES - len(Faults(revert=1, out_of_gas=1, drop=1).assignments()) >= len(KINDS)


def test_a_reverted_capture_is_reported_with_its_error_and_not_retried(run):
    (failure,) = run.failures
    assert failure.startswith(
        "lifecycle 0 (authorize + capture): capture reverted: SettlementCaptureExceedsAuthorized("
    )
    assert run.unexpected_failures == 0
    assert len(lines(run, "reverted")) == 1


def test_a_transaction_that_ran_out_of_gas_is_sent_again_with_more_and_its_payment_completes(run):
    (out_of_gas,) = lines(run, "out of gas")
    assert out_of_gas.startswith("lifecycle 1 (QR charge): approve") and "sent again with" in out_of_gas
    # the charge sent right behind it failed for want of the allowance, and went again after it
    assert any(line.startswith("lifecycle 1 (QR charge): charge") for line in run.incidents)
    assert run.figures["byKind"]["QR charge"]["payments"] >= 1


def test_a_dropped_transaction_is_resubmitted_with_the_same_nonce_and_its_payment_completes(run):
    (dropped,) = [line for line in lines(run, "resubmitted") if line.startswith("lifecycle 2 ")]
    assert dropped.startswith("lifecycle 2 (gasless charge (EIP-3009)): chargeWithAuthorization")
    assert "dropped by the node; sent again, same nonce" in dropped
    assert not lines(run, "lost")


def test_figures_are_measured_in_the_same_run(run):
    f = run.figures
    assert f["paymentsPerSecond"] > 0 and f["txPerSecond"] > 0 and f["ceiling"]["txPerSecond"] > 0
    assert set(f["latencyMs"]) == {"p50", "p95", "p99", "max"}
    assert f["latencyMs"]["p50"] <= f["latencyMs"]["p95"] <= f["latencyMs"]["p99"] <= f["latencyMs"]["max"]


def test_the_check_sees_money_moved_behind_the_models_back(run, node, setting):
    """The closing check is not vacuous: one minor unit the model does not know of, and it says where."""
    assert _as_fx_desk(node, setting.tokens["dHKD"], "transfer", ["address", "uint256"], [setting.treasury, 1])
    (problem,) = run.recheck()
    assert problem.startswith("balance of dHKD, the FX desk: the chain shows") and "the model says" in problem


def test_the_check_sees_the_fx_desks_held_balance_move_behind_the_models_back(run, node, setting):
    """The FX desk's float and credits held in MerchantSettlement are read too: it withdraws the dCNY its
    cross-currency payments earned, which the model does not know of, and the check says where, on both sides."""
    assert all(run.figures["byKind"][kind]["payments"] >= 1 for kind in CROSS_CURRENCY)
    assert _as_fx_desk(node, setting.settlement, "withdrawHeld", ["address"], [setting.tokens["dCNY"]])
    problems = run.recheck()
    assert any(p.startswith("held of the FX desk, dCNY: the chain shows 0, the model says") for p in problems)
    assert any(p.startswith("balance of dCNY, MerchantSettlement: the chain shows") for p in problems)


def _as_fx_desk(node, to: str, function: str, types: list, args: list) -> bool:
    """The load's FX desk (its key) calls `function` on `to`; whether it succeeded."""
    fx_desk = Keyed.from_seed("crosspay load standalone FX desk")
    w3 = node.w3
    inputs = [{"name": f"a{i}", "type": t} for i, t in enumerate(types)]
    contract = w3.eth.contract(address=to, abi=[{"name": function, "type": "function", "stateMutability": "nonpayable",
                                                 "inputs": inputs, "outputs": []}])  # fmt: skip
    tx = contract.functions[function](*args).build_transaction(
        {"from": fx_desk.address, "nonce": w3.eth.get_transaction_count(fx_desk.address), "gas": 150_000,
         "gasPrice": w3.eth.gas_price, "chainId": w3.eth.chain_id}
    )  # fmt: skip
    signed = w3.eth.account.sign_transaction(tx, fx_desk.key)
    return w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction)).status == 1
