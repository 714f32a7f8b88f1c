"""Issue 9, own address: the escrow refuses itself as beneficiary and the HTLC itself as recipient, with named errors.
Both contracts are KYC-verified (deposit tokens need it to pull funds), so before this rule the registry let them
through and the tokens were stranded."""

from crosspay.core.htlc import new_secret
from helpers import HOUR, bytes32, now, reverts_with, shown_fee


def test_initiate_with_the_escrow_as_beneficiary_reverts(market, make_quote, registry, cny, sender):
    assert registry.canTransact(market)  # only the new rule stands in the way
    quote, signature = make_quote(escrow=market)
    before = (cny.balanceOf(sender), cny.balanceOf(market))
    with reverts_with("EscrowBeneficiaryIsEscrow"):
        market.initiate(
            quote.as_tuple(), signature, market, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )
    assert (cny.balanceOf(sender), cny.balanceOf(market)) == before


def test_a_lock_with_the_htlc_as_recipient_reverts(htlc, market, registry, cny, sender):
    assert registry.canTransact(htlc)
    cny.approve(htlc, 100_00, {"from": sender})
    before = (cny.balanceOf(sender), cny.balanceOf(htlc))
    with reverts_with("HtlcRecipientIsHtlc"):
        htlc.lock(cny, 100_00, htlc, new_secret()[1], now() + HOUR, {"from": sender})
    assert (cny.balanceOf(sender), cny.balanceOf(htlc)) == before
