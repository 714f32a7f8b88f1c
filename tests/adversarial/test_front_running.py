"""Front-running: signatures lifted from the mempool and submitted first by someone else.

- An intent's EIP-3009 signature is a ReceiveWithAuthorization to the settlement contract whose nonce binds the
  payment id and the mode (crosspay.core.signing.authorization_nonce). Lifted, it is no TransferWithAuthorization
  (another type hash), and only the payee (the settlement) may redeem it as a ReceiveWithAuthorization: nobody can
  divert the funds, and the payment then still works, or fails cleanly if the payer cancelled the authorisation
  first. Nor can a relayer submit it in the other mode: a signed authorization is no charge, a signed charge no
  authorization (issue 9).
- A permit submitted first by someone else spends its nonce; the payer's permit + authorize flow
  (crosspay.core.settlement.authorize_with_permit) must still pay.
"""

import pytest
from brownie import chain

from crosspay.core.settlement import payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization, sign_cancel_authorization, sign_permit
from crosspay.core.status import PaymentStatus
from crosspay.onchain import authorize_with_permit
from helpers import HOUR, reverts_with


def _sign(settlement, token, alice, intent, chain_id, capture):
    """(intent, payment id, (from, to, value, validAfter, validBefore, nonce), signature) of alice's signed intent, for
    chargeWithAuthorization when `capture`, else authorizeWithAuthorization."""
    pid = payment_id(chain_id, settlement, intent, alice)
    nonce = authorization_nonce(pid, capture)
    fields = (alice.address, settlement.address, intent.amount, chain.time() - 10, chain.time() + HOUR, nonce)
    signature = sign_authorization(alice.private_key, token, chain_id, *fields, receive=True)
    return intent, pid, fields, signature


@pytest.fixture
def signed_intent(settlement, token, funded, merchant, alice, make_intent, chain_id):
    """alice's signed `authorize` intent (see _sign)."""
    return _sign(settlement, token, alice, make_intent(42_00), chain_id, capture=False)


@pytest.fixture
def signed_charge(settlement, token, funded, merchant, alice, make_intent, chain_id):
    """alice's signed `charge` intent (see _sign)."""
    return _sign(settlement, token, alice, make_intent(42_00), chain_id, capture=True)


def _relay_args(intent, fields, signature):
    return (intent.as_tuple(), fields[0], fields[3], fields[4], *signature.as_args())


def test_a_lifted_intent_signature_is_no_transfer_with_authorization(
    settlement, token, signed_intent, alice, rando, relayer
):
    intent, pid, fields, signature = signed_intent
    before = (token.balanceOf(alice), token.balanceOf(settlement))
    with reverts_with("ERC3009InvalidSignature"):
        token.transferWithAuthorization(*fields, *signature.as_args(), {"from": rando})
    assert (token.balanceOf(alice), token.balanceOf(settlement)) == before
    assert not token.authorizationState(alice, fields[5])
    settlement.authorizeWithAuthorization(*_relay_args(intent, fields, signature), {"from": relayer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.AUTHORIZED
    assert token.balanceOf(alice) == before[0] - intent.amount


def test_a_lifted_intent_signature_is_redeemable_by_the_settlement_only(
    settlement, token, signed_intent, alice, rando, relayer
):
    intent, pid, fields, signature = signed_intent
    before = (token.balanceOf(alice), token.balanceOf(settlement), token.balanceOf(rando))
    # As the payee named in it: only the settlement contract may call.
    with reverts_with("ERC3009CallerMustBePayee"):
        token.receiveWithAuthorization(*fields, *signature.as_args(), {"from": rando})
    # Naming itself as the payee: the signature no longer matches.
    diverted = (fields[0], rando.address, *fields[2:])
    with reverts_with("ERC3009InvalidSignature"):
        token.receiveWithAuthorization(*diverted, *signature.as_args(), {"from": rando})
    assert (token.balanceOf(alice), token.balanceOf(settlement), token.balanceOf(rando)) == before
    settlement.authorizeWithAuthorization(*_relay_args(intent, fields, signature), {"from": relayer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.AUTHORIZED


def test_a_front_runner_relaying_the_intent_only_executes_it_once(
    settlement, token, signed_intent, alice, rando, relayer
):
    intent, pid, fields, signature = signed_intent
    before = token.balanceOf(alice)
    settlement.authorizeWithAuthorization(*_relay_args(intent, fields, signature), {"from": rando})
    with reverts_with("SettlementPaymentExists"):
        settlement.authorizeWithAuthorization(*_relay_args(intent, fields, signature), {"from": relayer})
    assert token.balanceOf(alice) == before - intent.amount
    assert settlement.paymentOf(pid)["payer"] == alice.address


def test_a_payer_cancelling_first_makes_the_relayed_payment_fail_cleanly(
    settlement, token, signed_intent, alice, relayer, chain_id
):
    intent, pid, fields, signature = signed_intent
    before = (token.balanceOf(alice), token.balanceOf(settlement))
    cancel = sign_cancel_authorization(alice.private_key, token, chain_id, alice, fields[5])
    token.cancelAuthorization(alice, fields[5], *cancel.as_args(), {"from": relayer})
    with reverts_with("ERC3009AuthorizationUsedOrCanceled"):
        settlement.authorizeWithAuthorization(*_relay_args(intent, fields, signature), {"from": relayer})
    assert (token.balanceOf(alice), token.balanceOf(settlement)) == before
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.NONE  # no record left behind


def test_a_relayer_turning_a_signed_authorization_into_a_charge_reverts(
    settlement, token, signed_intent, alice, rando, relayer
):
    # Before issue 9 the nonce was the payment id in both modes: the whole amount was captured at once, the MDR
    # charged on it, and alice lost void/reclaim of the uncaptured part.
    intent, pid, fields, signature = signed_intent  # alice signed for an `authorize` QR
    before = token.balanceOf(alice)
    with reverts_with("ERC3009InvalidSignature"):
        settlement.chargeWithAuthorization(*_relay_args(intent, fields, signature), {"from": rando})
    assert token.balanceOf(alice) == before
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.NONE
    settlement.authorizeWithAuthorization(*_relay_args(intent, fields, signature), {"from": relayer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.AUTHORIZED


def test_a_relayer_turning_a_signed_charge_into_an_authorization_reverts(
    settlement, token, signed_charge, alice, rando, relayer
):
    # The converse would turn a sale into a hold the payer could reclaim after the authorization period.
    intent, pid, fields, signature = signed_charge
    before = token.balanceOf(alice)
    with reverts_with("ERC3009InvalidSignature"):
        settlement.authorizeWithAuthorization(*_relay_args(intent, fields, signature), {"from": rando})
    assert token.balanceOf(alice) == before
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.NONE
    settlement.chargeWithAuthorization(*_relay_args(intent, fields, signature), {"from": relayer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED


# --- permit + authorize --------------------------------------------------------------------------------------------


def test_a_front_run_permit_does_not_stop_the_payment(
    settlement, token, funded, merchant, alice, rando, make_intent, chain_id
):
    # alice has not approved the settlement (the `payer` fixture is not used): she pays with a permit.
    intent = make_intent(42_00)
    deadline = chain.time() + HOUR
    signature = sign_permit(
        alice.private_key, token, chain_id, alice, settlement, intent.amount, token.nonces(alice), deadline
    )
    # The attacker copies the permit from the mempool and submits it first: alice's own permit would now revert.
    token.permit(alice, settlement, intent.amount, deadline, *signature.as_args(), {"from": rando})
    with reverts_with("ERC2612InvalidSigner"):
        token.permit(alice, settlement, intent.amount, deadline, *signature.as_args(), {"from": alice})
    before = token.balanceOf(alice)
    tx = authorize_with_permit(settlement, token, intent, alice, deadline, signature)
    assert settlement.paymentOf(tx.return_value)["status"] == PaymentStatus.AUTHORIZED
    assert token.balanceOf(alice) == before - intent.amount
    assert token.allowance(alice, settlement) == 0


def test_the_permit_flow_still_reverts_on_a_permit_that_grants_nothing(
    settlement, token, funded, merchant, alice, bob, make_intent, chain_id
):
    # Tolerance is for a permit someone else already used, not for a bad one: a permit signed by someone else
    # reverts and, with no allowance in place, the flow surfaces the token's error.
    intent = make_intent(42_00)
    deadline = chain.time() + HOUR
    forged = sign_permit(
        bob.private_key, token, chain_id, alice, settlement, intent.amount, token.nonces(alice), deadline
    )
    before = token.balanceOf(alice)
    with reverts_with("ERC2612InvalidSigner"):
        authorize_with_permit(settlement, token, intent, alice, deadline, forged)
    assert token.balanceOf(alice) == before
