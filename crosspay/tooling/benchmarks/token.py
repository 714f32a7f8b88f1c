"""Gas of the deposit token's operations, in steady state (both ends of a transfer already hold balances)."""

from eth_utils import keccak

from crosspay.core.signing import sign_authorization, sign_permit
from crosspay.deploy.plan import REGISTRY, Roles, deploy
from crosspay.deploy.record import Deployer
from crosspay.tooling.gas import GasFigure, figure, local_account, transfer_floor

AREA = "token"
HOUR = 3600


def measure() -> list[GasFigure]:
    from brownie import PlainERC20, accounts, chain

    admin, officer, issuer, holder = accounts[0], accounts[1], accounts[2], accounts[3]
    alice, bob = local_account("alice", funder=admin), local_account("bob", funder=admin)

    roles = Roles(kyc_officer=officer, enforcer=officer, cny_issuer=issuer, cny_auditor=admin, pauser=admin)
    system = deploy(Deployer.immediate(admin), roles, parts=[REGISTRY, "dCNY"])
    registry, token = system.registry, system.tokens["dCNY"]
    registry.setVerifiedBatch([alice, bob, holder], b"CN", chain.time() + 365 * 86400, {"from": officer})
    token.setIssuerAllowance(issuer, 10**12, {"from": admin})
    token.attestReserves(10**12, b"\x01" * 32, {"from": admin})
    token.mint(alice, 1_000_000_00, b"\x00" * 32, {"from": issuer})
    token.mint(bob, 1_000_00, b"\x00" * 32, {"from": issuer})

    transfer = token.transfer(bob, 10_00, {"from": alice})
    figures = [
        figure(AREA, "mint (to a holder)", token.mint(bob, 100_00, b"\x02" * 32, {"from": issuer})),
        figure(
            AREA,
            "transfer",
            transfer,
            target=45_000,
            floor=transfer_floor(transfer),
            note="both ends verified and already holding",
        ),
    ]

    nonce = keccak(text="benchmark nonce")  # fixed, so the calldata (and its gas) is the same every run
    valid_before = chain.time() + HOUR
    signature = sign_authorization(alice.private_key, token, chain.id, alice, bob, 10_00, 0, valid_before, nonce)
    tx = token.transferWithAuthorization(
        alice, bob, 10_00, 0, valid_before, nonce, *signature.as_args(), {"from": holder}
    )
    figures.append(figure(AREA, "transferWithAuthorization", tx, target=75_000, note="relayer-submitted"))

    deadline = chain.time() + HOUR
    signature = sign_permit(alice.private_key, token, chain.id, alice, holder, 50_00, token.nonces(alice), deadline)
    tx = token.permit(alice, holder, 50_00, deadline, *signature.as_args(), {"from": holder})
    figures.append(figure(AREA, "permit", tx))
    figures.append(figure(AREA, "redeem", token.redeem(10_00, b"\x03" * 32, {"from": alice})))

    plain = PlainERC20.deploy(alice, 10**12, {"from": admin})
    plain.transfer(bob, 1, {"from": alice})  # the receiver already holds a balance, as for the deposit token
    baseline = plain.transfer(bob, 10_00, {"from": alice})
    figures.append(
        figure(
            AREA,
            "plain OpenZeppelin ERC-20 transfer (baseline)",
            baseline,
            floor=transfer_floor(baseline),
            note="no compliance, no pause",
        )
    )
    return figures
