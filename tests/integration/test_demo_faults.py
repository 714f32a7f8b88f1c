"""make demo's main job against a chain that dies halfway: one clear line, a non-zero exit, and a rerun that succeeds.

The demo runs as a user runs it (`brownie run scripts/demo.py`) on its own development network and port; the test
kills the Ganache node that brownie launched once the story has started.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from crosspay.swap.nodes import free_ports

ROOT = Path(__file__).resolve().parents[2]
BROWNIE = Path(sys.executable).parent / "brownie"
# One brownie network entry per chain port (make PORT=...), so parallel runs never re-point each other's.
NETWORK = f"crosspay-demo-fault-{os.environ.get('CROSSPAY_PORT', '8545')}"


@pytest.fixture
def demo_network():
    (port,) = free_ports(1)
    settings = [
        "cmd=ganache-cli",
        "host=http://127.0.0.1",
        f"port={port}",
        "evm_version=shanghai",
        "accounts=20",
        "chain_id=1337",
        "gas_limit=30000000",
        "mnemonic=brownie",
    ]
    added = subprocess.run(
        [str(BROWNIE), "networks", "add", "Development", NETWORK, *settings], cwd=ROOT, capture_output=True, text=True
    )
    if added.returncode != 0 or "already exists" in added.stdout + added.stderr:
        subprocess.run(
            [str(BROWNIE), "networks", "modify", NETWORK, *settings], cwd=ROOT, check=True, capture_output=True
        )
    return port


def run_demo(tmp_path, background=False):
    env = {**os.environ, "CROSSPAY_DEPLOYMENTS_DIR": str(tmp_path), "PYTHONWARNINGS": "ignore::FutureWarning"}
    env["PATH"] = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{env['PATH']}"
    command = [str(BROWNIE), "run", "scripts/demo.py", "--network", NETWORK]
    if background:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def node_on(port: int) -> psutil.Process:
    for connection in psutil.net_connections(kind="tcp"):
        if connection.laddr and connection.laddr.port == port and connection.status == psutil.CONN_LISTEN:
            return psutil.Process(connection.pid)
    raise AssertionError(f"nothing listens on {port}")


def test_a_node_that_dies_mid_demo_ends_it_with_one_clear_line_and_a_rerun_succeeds(demo_network, tmp_path):
    demo = run_demo(tmp_path, background=True)
    output = []
    deadline = time.monotonic() + 600
    for line in demo.stdout:  # wait until the story is being told, then pull the plug
        output.append(line)
        if "Onboarding and KYC" in line:
            break
        assert time.monotonic() < deadline, "".join(output)
    node_on(demo_network).kill()
    rest, _ = demo.communicate(timeout=300)
    text = "".join(output) + rest
    assert demo.returncode != 0
    stopped = [line for line in text.splitlines() if line.startswith("demo stopped:")]
    assert len(stopped) == 1, text
    assert "the local chain stopped answering" in " ".join(text.split("demo stopped:", 1)[1].split())
    assert "Traceback" not in text

    again = run_demo(tmp_path)
    assert again.returncode == 0, again.stdout[-3000:]
    assert "conservation holds" in " ".join(again.stdout.split())
