"""Gasless cross-currency payments (issue 11 §2): the payer's EIP-3009 ReceiveWithAuthorization of its dCNY, whose
nonce is keccak256(abi.encode(paymentId, quoteDigest, isCharge)), submitted by a relayer; the relayer can swap neither
the intent nor the quote, nor the mode, nor replay it."""

from crosspay.core.signing import authorization_nonce
from crosspay.core.status import PaymentStatus
from helpers import bytes32, reverts_with


def test_a_relayer_submits_a_payer_signed_charge_and_authorization(
    xsettlement, cny, payer, relayer, liquidity_provider, hkd_intent, quote_for, payer_authorization
):
    before = cny.balanceOf(payer)
    for is_charge, method, status in (
        (True, xsettlement.chargeCrossCurrencyWithAuthorization, PaymentStatus.CAPTURED),
        (False, xsettlement.authorizeCrossCurrencyWithAuthorization, PaymentStatus.AUTHORIZED),
    ):
        intent = hkd_intent(88_00)
        quote, signature = quote_for(intent, payer)
        authorization = payer_authorization(payer, quote, is_charge)
        tx = method(intent.as_tuple(), quote.as_tuple(), signature, authorization, {"from": relayer})
        assert bytes32(tx.return_value) == quote.quote_id
        assert xsettlement.paymentOf(quote.quote_id)["status"] == status
        before -= quote.source_amount
        assert cny.balanceOf(payer) == before


def test_the_relayer_cannot_swap_the_quote(xsettlement, payer, relayer, hkd_intent, quote_for, payer_authorization):
    intent = hkd_intent()
    signed, _ = quote_for(intent, payer)
    other, other_signature = quote_for(intent, payer, expires_in=2 * 24 * 3600 * 5)  # the LP's other quote, same sums
    authorization = payer_authorization(payer, signed, True)
    with reverts_with("ERC3009InvalidSignature"):
        xsettlement.chargeCrossCurrencyWithAuthorization(
            intent.as_tuple(), other.as_tuple(), other_signature, authorization, {"from": relayer}
        )


def test_the_relayer_cannot_swap_the_mode(xsettlement, payer, relayer, hkd_intent, quote_for, payer_authorization):
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer)
    for signed_as_charge, method in (
        (True, xsettlement.authorizeCrossCurrencyWithAuthorization),
        (False, xsettlement.chargeCrossCurrencyWithAuthorization),
    ):
        authorization = payer_authorization(payer, quote, signed_as_charge)
        with reverts_with("ERC3009InvalidSignature"):
            method(intent.as_tuple(), quote.as_tuple(), signature, authorization, {"from": relayer})


def test_the_relayer_cannot_swap_the_intent(xsettlement, payer, relayer, hkd_intent, quote_for, payer_authorization):
    intent, other = hkd_intent(), hkd_intent()
    quote, signature = quote_for(intent, payer)
    authorization = payer_authorization(payer, quote, True)
    with reverts_with("SettlementQuoteNotForPayment"):  # the quote prices the signed intent only
        xsettlement.chargeCrossCurrencyWithAuthorization(
            other.as_tuple(), quote.as_tuple(), signature, authorization, {"from": relayer}
        )


def test_a_signed_payment_is_not_replayed(xsettlement, payer, relayer, hkd_intent, quote_for, payer_authorization):
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer)
    authorization = payer_authorization(payer, quote, True)
    args = (intent.as_tuple(), quote.as_tuple(), signature, authorization, {"from": relayer})
    xsettlement.chargeCrossCurrencyWithAuthorization(*args)
    with reverts_with("SettlementPaymentExists"):
        xsettlement.chargeCrossCurrencyWithAuthorization(*args)


def test_a_domestic_nonce_does_not_pay_a_cross_currency_payment(
    xsettlement, payer, relayer, hkd_intent, quote_for, payer_authorization
):
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer)
    domestic = authorization_nonce(quote.quote_id, True)  # what a payment in one currency signs
    authorization = payer_authorization(payer, quote, True, nonce=domestic)
    with reverts_with("ERC3009InvalidSignature"):
        xsettlement.chargeCrossCurrencyWithAuthorization(
            intent.as_tuple(), quote.as_tuple(), signature, authorization, {"from": relayer}
        )
