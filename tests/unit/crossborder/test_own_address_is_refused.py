"""Issue 9, own address: the escrow refuses itself as beneficiary and the HTLC itself as recipient, with named errors.
Both contracts are KYC-verified (deposit tokens need it to pull funds), so before this rule the registry let them
through and the tokens were stranded."""

from crosspay.htlc import new_secret
from fixtures.crossborder import HOUR, now, shown_fee
from helpers import bytes32, reverts_with


def test_the_escrow_refuses_itself_as_beneficiary(market, make_quote, registry, cny, sender):
    assert registry.canTransact(market)  # only the new rule stands in the way
    quote, signature = make_quote(escrow=market)
    before = (cny.balanceOf(sender), cny.balanceOf(market))
    with reverts_with("EscrowBeneficiaryIsEscrow"):
        market.initiate(quote.as_tuple(), signature, market, now() + HOUR, bytes32("t"), shown_fee(quote),
                        {"from": sender})
    assert (cny.balanceOf(sender), cny.balanceOf(market)) == before


def test_the_htlc_refuses_itself_as_recipient(htlc, market, registry, cny, sender):
    assert registry.canTransact(htlc)
    cny.approve(htlc, 100_00, {"from": sender})
    before = (cny.balanceOf(sender), cny.balanceOf(htlc))
    with reverts_with("HtlcRecipientIsHtlc"):
        htlc.lock(cny, 100_00, htlc, new_secret()[1], now() + HOUR, {"from": sender})
    assert (cny.balanceOf(sender), cny.balanceOf(htlc)) == before
