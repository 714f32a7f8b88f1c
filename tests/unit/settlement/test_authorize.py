"""authorize / authorizeWithAuthorization: funds pulled and held, one authorization per payment id, every
precondition refused by name."""

from brownie import ZERO_ADDRESS, chain

from crosspay.core.settlement import payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization
from crosspay.core.status import PaymentStatus
from helpers import AUTH_PERIOD, assert_reverted_with, at_time, bytes32, reverts_with


def test_authorize_holds_funds_and_records_the_payment(settlement, token, merchant, payer, make_intent, chain_id):
    intent = make_intent(123_45)
    before = token.balanceOf(payer)
    tx = settlement.authorize(intent.as_tuple(), {"from": payer})
    pid = bytes32(tx.return_value)
    assert pid == payment_id(chain_id, settlement.address, intent, payer.address)
    assert bytes32(settlement.paymentId(intent.as_tuple(), payer)) == pid
    assert token.balanceOf(payer) == before - 123_45
    assert token.balanceOf(settlement) == 123_45
    expiry = tx.timestamp + AUTH_PERIOD
    assert settlement.paymentOf(pid).dict() == {
        "status": PaymentStatus.AUTHORIZED, "payer": payer.address, "merchantId": "0x" + merchant.hex(),
        "token": token.address, "authorized": 123_45, "captured": 0, "refunded": 0, "authorizationExpiry": expiry,
    }  # fmt: skip
    event = tx.events["PaymentAuthorized"]
    assert bytes32(event["paymentId"]) == pid
    assert (event["payer"], event["token"], event["amount"], event["authorizationExpiry"]) == (
        payer,
        token,
        123_45,
        expiry,
    )
    assert bytes32(event["orderRef"]) == intent.order_ref
    assert settlement.refundDeadline(pid) == 0
    assert settlement.pendingSettlement(merchant, token) == 0


def test_payment_id_binds_chain_contract_intent_and_payer(settlement, payer, bob, make_intent, chain_id):
    intent = make_intent()
    ids = {
        payment_id(chain_id, settlement.address, intent, payer.address),
        payment_id(chain_id, settlement.address, intent, bob.address),
        payment_id(chain_id + 1, settlement.address, intent, payer.address),
        payment_id(chain_id, bob.address, intent, payer.address),
        payment_id(chain_id, settlement.address, make_intent(intent.amount + 1), payer.address),
    }
    assert len(ids) == 5


def test_a_payment_id_is_authorized_once(settlement, payer, make_intent):
    intent = make_intent()
    settlement.authorize(intent.as_tuple(), {"from": payer})
    with reverts_with("SettlementPaymentExists"):
        settlement.authorize(intent.as_tuple(), {"from": payer})
    with reverts_with("SettlementPaymentExists"):
        settlement.charge(intent.as_tuple(), {"from": payer})


def test_same_intent_from_another_payer_is_another_payment(settlement, payer, bob, make_intent):
    intent = make_intent()
    a = settlement.authorize(intent.as_tuple(), {"from": payer}).return_value
    b = settlement.authorize(intent.as_tuple(), {"from": bob}).return_value
    assert a != b


def test_intent_is_payable_until_one_second_before_expiry(settlement, payer, make_intent):
    deadline = chain.time() + 100
    ok = at_time(
        deadline - 1, settlement.authorize, make_intent(expires_at=deadline).as_tuple(), params={"from": payer}
    )
    assert ok.status == 1
    late = at_time(deadline, settlement.authorize, make_intent(expires_at=deadline).as_tuple(), params={"from": payer})
    assert_reverted_with(late, "SettlementIntentExpired")


def test_zero_amount_reverts(settlement, payer, make_intent):
    with reverts_with("SettlementZeroAmount"):
        settlement.authorize(make_intent(0).as_tuple(), {"from": payer})


def test_amount_that_does_not_fit_the_record_reverts(settlement, payer, make_intent):
    with reverts_with("SettlementAmountTooLarge"):
        settlement.authorize(make_intent(2**64).as_tuple(), {"from": payer})


def test_unknown_merchant_reverts(settlement, payer, make_intent):
    with reverts_with("SettlementUnknownMerchant"):
        settlement.authorize(make_intent(merchant_id=b"nobody".ljust(32, b"\0")).as_tuple(), {"from": payer})


def test_inactive_merchant_takes_no_payments(settlement, merchant, acquirer, payer, make_intent):
    settlement.setMerchantActive(merchant, False, {"from": acquirer})
    with reverts_with("SettlementMerchantInactive"):
        settlement.authorize(make_intent().as_tuple(), {"from": payer})
    with reverts_with("SettlementMerchantInactive"):
        settlement.charge(make_intent().as_tuple(), {"from": payer})


def test_unaccepted_token_reverts(settlement, admin, token, issuer_bank, payer, make_intent):
    settlement.setToken(token, issuer_bank, False, {"from": admin})
    with reverts_with("SettlementTokenNotAccepted"):
        settlement.authorize(make_intent().as_tuple(), {"from": payer})


def test_never_configured_token_reverts(settlement, payer, make_intent, rando):
    intent = make_intent()
    raw = (intent.merchant_id, rando.address, intent.amount, intent.order_ref, intent.expires_at)
    with reverts_with("SettlementTokenNotAccepted"):
        settlement.authorize(raw, {"from": payer})


def test_a_non_verified_payer_reverts_in_the_token(
    settlement, token, merchant, carol, issuer, make_intent, verify, registry, kyc_officer, payer
):
    verify(carol)
    token.mint(carol, 100_00, b"\x07" * 32, {"from": issuer})
    token.approve(settlement, 2**256 - 1, {"from": carol})
    registry.revoke(carol, {"from": kyc_officer})
    with reverts_with("DepositTokenAccountNotVerified"):
        settlement.authorize(make_intent().as_tuple(), {"from": carol})


def test_a_frozen_payer_reverts_in_the_token(settlement, registry, enforcer, payer, make_intent):
    registry.freeze(payer, b"\x01" * 32, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        settlement.authorize(make_intent().as_tuple(), {"from": payer})


def test_settlement_contract_must_be_verified_to_pull(settlement, registry, kyc_officer, payer, make_intent):
    registry.revoke(settlement, {"from": kyc_officer})
    with reverts_with("DepositTokenAccountNotVerified"):
        settlement.authorize(make_intent().as_tuple(), {"from": payer})


# --- EIP-3009 -------------------------------------------------------------------------------------------------------


def _signed(settlement, token, chain_id, payer, intent, valid_after=None, valid_before=None):
    """(payment id, authorizeWithAuthorization's arguments) of `payer`'s signed authorization of `intent`."""
    pid = payment_id(chain_id, settlement.address, intent, payer.address)
    now = chain.time()
    after = now - 10 if valid_after is None else valid_after
    before = now + 600 if valid_before is None else valid_before
    nonce = authorization_nonce(pid, capture=False)
    sig = sign_authorization(
        payer.private_key, token, chain_id, payer, settlement, intent.amount, after, before, nonce, receive=True
    )
    return pid, (intent.as_tuple(), payer, after, before, *sig.as_args())


def test_authorize_with_authorization_is_submitted_by_a_relayer(
    settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    intent = make_intent(42_00)
    pid, args = _signed(settlement, token, chain_id, alice, intent)
    before = token.balanceOf(alice)
    allowance = token.allowance(alice, settlement)
    tx = settlement.authorizeWithAuthorization(*args, {"from": relayer})
    assert bytes32(tx.return_value) == pid
    assert token.balanceOf(alice) == before - 42_00
    assert token.authorizationState(alice, authorization_nonce(pid, capture=False)) is True
    payment = settlement.paymentOf(pid)
    assert (payment["status"], payment["payer"]) == (PaymentStatus.AUTHORIZED, alice.address)
    assert token.allowance(alice, settlement) == allowance  # no approval used


def test_a_relayer_changing_the_intent_reverts(
    settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    intent = make_intent(42_00)
    _, args = _signed(settlement, token, chain_id, alice, intent)
    tampered = list(args)
    tampered[0] = (intent.merchant_id, intent.token, 1, intent.order_ref, intent.expires_at)
    with reverts_with("ERC3009InvalidSignature"):
        settlement.authorizeWithAuthorization(*tampered, {"from": relayer})


def test_signed_authorization_is_used_once(settlement, token, funded, merchant, alice, relayer, make_intent, chain_id):
    _, args = _signed(settlement, token, chain_id, alice, make_intent())
    settlement.authorizeWithAuthorization(*args, {"from": relayer})
    with reverts_with("SettlementPaymentExists"):
        settlement.authorizeWithAuthorization(*args, {"from": relayer})


def test_expired_signed_authorization_reverts(
    settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    now = chain.time()
    _, args = _signed(settlement, token, chain_id, alice, make_intent(), now - 100, now - 1)
    with reverts_with("ERC3009AuthorizationExpired"):
        settlement.authorizeWithAuthorization(*args, {"from": relayer})


def test_zero_payer_reverts(settlement, token, funded, merchant, alice, relayer, make_intent, chain_id):
    _, args = _signed(settlement, token, chain_id, alice, make_intent())
    args = list(args)
    args[1] = ZERO_ADDRESS
    with reverts_with("SettlementZeroAddress"):
        settlement.authorizeWithAuthorization(*args, {"from": relayer})
    with reverts_with("SettlementZeroAddress"):
        settlement.chargeWithAuthorization(*args, {"from": relayer})


def test_high_s_signature_reverts(settlement, token, funded, merchant, alice, relayer, make_intent, chain_id):
    intent = make_intent()
    pid = payment_id(chain_id, settlement.address, intent, alice.address)
    now = chain.time()
    sig = sign_authorization(
        alice.private_key,
        token,
        chain_id,
        alice,
        settlement,
        intent.amount,
        now - 10,
        now + 600,
        authorization_nonce(pid, capture=False),
        receive=True,
    ).malleated()
    with reverts_with("ERC3009InvalidSignature"):
        settlement.authorizeWithAuthorization(
            intent.as_tuple(), alice, now - 10, now + 600, *sig.as_args(), {"from": relayer}
        )


def test_unknown_payment_reads_as_none(settlement):
    assert settlement.paymentOf(b"\x0a" * 32).dict() == {
        "status": PaymentStatus.NONE, "payer": ZERO_ADDRESS, "merchantId": "0x" + "00" * 32, "token": ZERO_ADDRESS,
        "authorized": 0, "captured": 0, "refunded": 0, "authorizationExpiry": 0,
    }  # fmt: skip
    assert settlement.refundDeadline(b"\x0a" * 32) == 0
