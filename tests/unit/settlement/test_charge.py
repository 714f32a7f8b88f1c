"""charge / chargeWithAuthorization: authorize and capture in full in one call."""

from brownie import chain

from crosspay.core.settlement import payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization
from crosspay.core.status import PaymentStatus
from helpers import REFUND_PERIOD, bytes32, reverts_with, split


def test_charge_captures_in_full(
    settlement, token, merchant, payer, issuer_bank, network_fee, acquirer, make_intent, chain_id
):
    intent = make_intent(345_67)
    before = token.balanceOf(payer)
    tx = settlement.charge(intent.as_tuple(), {"from": payer})
    pid = bytes32(tx.return_value)
    assert pid == payment_id(chain_id, settlement.address, intent, payer.address)
    assert token.balanceOf(payer) == before - 345_67
    parts = split(345_67)
    assert settlement.pendingSettlement(merchant, token) == parts.merchant
    assert settlement.feesOwed(issuer_bank, token) == parts.interchange
    assert settlement.feesOwed(network_fee, token) == parts.network
    assert settlement.feesOwed(acquirer, token) == parts.acquirer
    assert settlement.paymentOf(pid).dict() == {
        "status": PaymentStatus.CAPTURED, "payer": payer.address, "merchantId": "0x" + merchant.hex(),
        "token": token.address, "authorized": 345_67, "captured": 345_67, "refunded": 0,
        "authorizationExpiry": tx.timestamp,
    }  # fmt: skip
    assert settlement.refundDeadline(pid) == tx.timestamp + REFUND_PERIOD
    assert tx.events["PaymentAuthorized"]["amount"] == 345_67
    assert tx.events["PaymentCaptured"]["fee"] == parts.fee


def test_capture_void_or_reclaim_of_a_charged_payment_reverts(settlement, operator, payer, charge):
    pid = charge()
    chain.sleep(8 * 24 * 3600)
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.capture(pid, 1, {"from": operator})
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.void(pid, {"from": operator})
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.reclaim(pid, {"from": payer})


def test_charge_checks_like_authorize(settlement, payer, make_intent, admin, token, issuer_bank):
    with reverts_with("SettlementZeroAmount"):
        settlement.charge(make_intent(0).as_tuple(), {"from": payer})
    with reverts_with("SettlementUnknownMerchant"):
        settlement.charge(make_intent(merchant_id=b"x" * 32).as_tuple(), {"from": payer})
    with reverts_with("SettlementIntentExpired"):
        settlement.charge(make_intent(expires_at=chain.time() - 1).as_tuple(), {"from": payer})
    with reverts_with("SettlementAmountTooLarge"):
        settlement.charge(make_intent(2**64).as_tuple(), {"from": payer})
    settlement.setToken(token, issuer_bank, False, {"from": admin})
    with reverts_with("SettlementTokenNotAccepted"):
        settlement.charge(make_intent().as_tuple(), {"from": payer})


def nonce(pid):
    """The EIP-3009 nonce of a signed charge."""
    return authorization_nonce(pid, capture=True)


def test_charge_with_authorization_is_gasless_for_the_payer(
    settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    intent = make_intent(12_34)
    pid = payment_id(chain_id, settlement.address, intent, alice.address)
    now = chain.time()
    sig = sign_authorization(
        alice.private_key, token, chain_id, alice, settlement, 12_34, now - 5, now + 600, nonce(pid), receive=True
    )
    alice_eth = alice.balance()
    tx = settlement.chargeWithAuthorization(
        intent.as_tuple(), alice, now - 5, now + 600, *sig.as_args(), {"from": relayer}
    )
    assert bytes32(tx.return_value) == pid
    assert alice.balance() == alice_eth
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED
    assert settlement.pendingSettlement(merchant, token) == split(12_34).merchant


def test_charge_with_authorization_signed_for_another_amount_reverts(
    settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    intent = make_intent(12_34)
    pid = payment_id(chain_id, settlement.address, intent, alice.address)
    now = chain.time()
    sig = sign_authorization(
        alice.private_key, token, chain_id, alice, settlement, 1, now - 5, now + 600, nonce(pid), receive=True
    )
    with reverts_with("ERC3009InvalidSignature"):
        settlement.chargeWithAuthorization(
            intent.as_tuple(), alice, now - 5, now + 600, *sig.as_args(), {"from": relayer}
        )
