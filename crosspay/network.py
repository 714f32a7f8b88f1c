"""Connecting to a brownie network from a plain Python program, with one clear line for each way it can fail."""

import warnings

from crosspay.deployment import DeploymentError


def connect(network_id: str):
    """Loads the brownie project and connects to `network_id` (launching a local chain for development networks)."""
    import brownie
    from brownie import network, project

    warnings.filterwarnings("ignore", message=r"rpc\.", category=FutureWarning)  # brownie 1.22 warns about itself
    from brownie._config import CONFIG

    if not project.get_loaded_projects():
        loaded = project.load(project.check_for_project())
        loaded.load_config()
        loaded._add_to_main_namespace()  # as brownie's own console does: `from brownie import DepositToken` works
    if network_id not in CONFIG.networks:
        known = ", ".join(sorted(n for n in CONFIG.networks if not n.endswith("-fork")))
        raise DeploymentError(f"unknown network {network_id!r}; brownie knows: {known}.")
    settings = CONFIG.networks[network_id]
    host = settings.get("host", "")
    if "$" in host:
        raise DeploymentError(
            f"network {network_id!r} needs an environment variable in its host ({host}); set it or add your own "
            f"RPC with `brownie networks modify {network_id} host=<url>`."
        )
    try:
        network.connect(network_id)
    except Exception as exc:
        raise DeploymentError(
            f"cannot reach the node of network {network_id!r} at {host}: {type(exc).__name__}; is it running?"
        ) from None
    if not network.is_connected():
        raise DeploymentError(f"cannot reach the node of network {network_id!r} at {host}; is it running?")
    return brownie
