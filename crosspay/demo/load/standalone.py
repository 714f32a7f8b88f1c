"""A load run on a node brownie is not connected to: the deployment plan over web3.py (crosspay.deploy.artifacts),
then what the demo's onboarding and deposits chapters give the load (reserves attested, issuance allowances, the FX
desk verified and given gas). The integration test runs the load this way, on a node it starts itself."""

from __future__ import annotations

from crosspay.core.encoding import bytes32
from crosspay.core.iso import jurisdiction
from crosspay.demo.load.engine import Setting
from crosspay.demo.load.kinds import Keyed
from crosspay.deploy.artifacts import ArtifactDeployer
from crosspay.deploy.plan import Roles, deploy

RESERVES = 10**15  # minor units each bank attests and may issue: far beyond any run


def standalone_setting(node, fx_desk_seed: str = "crosspay load standalone FX desk") -> Setting:
    """Deploys Crosspay on `node` (a crosspay.swap.nodes.Node) with its unlocked accounts as the institutions and a
    keyed FX desk; returns where a load can run."""
    w3 = node.w3
    if node.kind == "anvil":  # as brownie starts Anvil (brownie-config.yaml: base_fee 0): no base fee to outbid
        w3.provider.make_request("anvil_setNextBlockBaseFeePerGas", [0])
    a = w3.eth.accounts
    admin, compliance, cny_bank, hkd_bank, acquirer, network, treasury, funder = a[:8]
    fx_desk = Keyed.from_seed(fx_desk_seed)
    roles = Roles(
        kyc_officer=compliance, enforcer=compliance, cny_issuer=cny_bank, cny_auditor=admin, hkd_issuer=hkd_bank,
        hkd_auditor=admin, pauser=admin, acquirer=acquirer, settler=acquirer, network_fee_account=network,
        escrow_fee_account=treasury, liquidity_provider=fx_desk.address,
    )  # fmt: skip
    deployer = ArtifactDeployer(w3, admin, label="load")
    system = deploy(deployer, roles)
    registry = system.registry.web3
    until = node.now() + 365 * 24 * 3600
    deployer.send(registry.functions.setVerifiedBatch([fx_desk.address, treasury, network, acquirer, cny_bank,
                  hkd_bank], jurisdiction("HK"), until), compliance, "verify the institutions")  # fmt: skip
    for token, bank in ((system.tokens["dCNY"].web3, cny_bank), (system.tokens["dHKD"].web3, hkd_bank)):
        deployer.send(token.functions.attestReserves(RESERVES, bytes32("load reserves")), admin, "attest reserves")
        deployer.send(token.functions.setIssuerAllowance(bank, RESERVES), admin, "issuer allowance")
    w3.eth.wait_for_transaction_receipt(
        w3.eth.send_transaction({"from": funder, "to": fx_desk.address, "value": 10**19})
    )
    return Setting(
        url=node.url,
        registry=system.registry.address,
        settlement=system.settlement.address,
        escrow=system.escrow.address,
        tokens={symbol: token.address for symbol, token in system.tokens.items()},
        compliance=compliance,
        acquirer=acquirer,
        issuers={"dCNY": cny_bank, "dHKD": hkd_bank},
        interchange={"dCNY": cny_bank, "dHKD": hkd_bank},
        network=network,
        treasury=treasury,
        fx_desk=fx_desk,
        funder=funder,
    )
