"""Malleable high-s signatures: the twin (r, n - s, v ^ 1) of a valid signature recovers the same signer with plain
ecrecover. Every Crosspay check refuses it, on the EOA path and on the ERC-1271 contract-wallet path, and the refusal
burns nothing: the original low-s signature still works afterwards.
"""

from brownie import ERC1271Wallet, chain

from crosspay.core import fx
from crosspay.core.settlement import payment_id
from crosspay.core.signing import SECP256K1_N, authorization_nonce, sign_authorization, sign_permit
from crosspay.core.status import PaymentStatus, TransferStatus
from helpers import HOUR, bytes32, now, reverts_with, shown_fee


def _is_high_s(signature):
    return int.from_bytes(signature.s, "big") > SECP256K1_N // 2


def test_high_s_permit_reverts_and_leaves_the_nonce_unused(funded, chain_id, alice, carol):
    args = (alice, carol, 50_00, chain.time() + HOUR)
    signature = sign_permit(alice.private_key, funded, chain_id, *args[:3], funded.nonces(alice), args[3])
    twin = signature.malleated()
    assert _is_high_s(twin) and not _is_high_s(signature)
    with reverts_with("ECDSAInvalidSignatureS"):
        funded.permit(*args, *twin.as_args(), {"from": carol})
    assert funded.nonces(alice) == 0 and funded.allowance(alice, carol) == 0
    funded.permit(*args, *signature.as_args(), {"from": carol})
    assert funded.allowance(alice, carol) == 50_00


def _intent_authorization(settlement, token, chain_id, signer_key, payer, intent, capture):
    """(the EIP-3009 nonce, the relayed arguments, the signature) of `payer`'s signed intent in mode `capture`."""
    nonce = authorization_nonce(payment_id(chain_id, settlement, intent, payer), capture)
    after, before = chain.time() - 10, chain.time() + HOUR
    signature = sign_authorization(
        signer_key, token, chain_id, payer, settlement, intent.amount, after, before, nonce, receive=True
    )
    return nonce, (intent.as_tuple(), payer, after, before), signature


def test_high_s_intent_authorization_reverts_and_the_payment_still_goes_through(
    settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    intent = make_intent(42_00)
    nonce, args, signature = _intent_authorization(
        settlement, token, chain_id, alice.private_key, alice, intent, capture=True
    )
    before = token.balanceOf(alice)
    with reverts_with("ERC3009InvalidSignature"):
        settlement.chargeWithAuthorization(*args, *signature.malleated().as_args(), {"from": relayer})
    assert token.balanceOf(alice) == before and not token.authorizationState(alice, nonce)
    settlement.chargeWithAuthorization(*args, *signature.as_args(), {"from": relayer})
    assert token.balanceOf(alice) == before - intent.amount


def test_high_s_authorization_of_a_contract_wallet_payer_reverts(
    settlement,
    token,
    registry,
    kyc_officer,
    issuer,
    admin,
    merchant,
    relayer,
    make_intent,
    chain_id,
    verify,
    new_account,
):
    # The ECDSA check fails (high s) and the token falls back to ERC-1271: the wallet must refuse the twin too.
    owner = new_account()
    wallet = ERC1271Wallet.deploy(owner, {"from": admin})
    verify(wallet)
    token.mint(wallet, 100_00, bytes32("deposit-wallet"), {"from": issuer})
    intent = make_intent(42_00)
    nonce, args, signature = _intent_authorization(
        settlement, token, chain_id, owner.private_key, wallet, intent, capture=False
    )
    with reverts_with("ERC3009InvalidSignature"):
        settlement.authorizeWithAuthorization(*args, *signature.malleated().as_args(), {"from": relayer})
    assert token.balanceOf(wallet) == 100_00 and not token.authorizationState(wallet, nonce)
    settlement.authorizeWithAuthorization(*args, *signature.as_args(), {"from": relayer})
    payment = settlement.paymentOf(payment_id(chain_id, settlement, intent, wallet))
    assert payment["status"] == PaymentStatus.AUTHORIZED and payment["payer"] == wallet.address
    assert token.balanceOf(wallet) == 100_00 - intent.amount


def _initiate(market, quote, signature, beneficiary, sender):
    """The sender initiates `quote` under `signature` (65 packed bytes), passing the fee it was shown."""
    args = (quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote))
    return market.initiate(*args, {"from": sender})


def test_high_s_quote_reverts_and_the_quote_stays_usable(
    market, make_quote, chain_id, liquidity_provider, cny, sender, beneficiary
):
    quote, _ = make_quote(escrow=market)
    signature = fx.sign_quote(liquidity_provider.private_key, quote, chain_id, market)
    before = cny.balanceOf(sender)
    with reverts_with("EscrowInvalidSignature"):
        _initiate(market, quote, signature.malleated().packed, beneficiary, sender)
    assert cny.balanceOf(sender) == before
    _initiate(market, quote, signature.packed, beneficiary, sender)
    assert market.transferOf(fx.transfer_id(liquidity_provider, quote.quote_id))["status"] == TransferStatus.LOCKED


def test_high_s_quote_from_a_contract_wallet_liquidity_provider_reverts(
    market, make_quote, admin, chain_id, cny, sender, beneficiary, new_account
):
    owner = new_account()
    wallet = ERC1271Wallet.deploy(owner, {"from": admin})
    market.setLiquidityProvider(wallet, True, {"from": admin})
    quote, _ = make_quote(escrow=market, liquidity_provider=str(wallet))
    signature = fx.sign_quote(owner.private_key, quote, chain_id, market)
    before = cny.balanceOf(sender)
    with reverts_with("EscrowInvalidSignature"):
        _initiate(market, quote, signature.malleated().packed, beneficiary, sender)
    assert cny.balanceOf(sender) == before
    _initiate(market, quote, signature.packed, beneficiary, sender)
    assert market.transferOf(fx.transfer_id(wallet, quote.quote_id))["status"] == TransferStatus.LOCKED
