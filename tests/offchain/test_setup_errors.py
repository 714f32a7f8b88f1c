"""The setup's refusals: a wrong Python, a missing Node.js or a taken port each end with one clear line."""

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(cmd, env=None):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=60)


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    return lines[0]


def test_a_wrong_python_is_refused_in_one_line():
    result = run(["tools/bootstrap.sh"], env={"PYTHON": "/usr/bin/false"})
    assert result.returncode == 1
    assert "is not Python 3.11" in one_line(result.stderr)


def test_a_missing_node_is_refused_in_one_line(tmp_path):
    # A PATH with everything the machine has except node and npm.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory) or "node_modules" in directory:
            continue
        for entry in os.scandir(directory):
            target = bin_dir / entry.name
            if entry.name not in ("node", "npm", "npx") and not target.exists():
                target.symlink_to(entry.path)
    result = run(["bash", "tools/bootstrap.sh"], env={"PATH": str(bin_dir)})
    assert result.returncode == 1
    assert "Node.js is not installed" in one_line(result.stderr)


def test_a_taken_port_is_refused_in_one_line():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = run(["tools/check-port.sh", str(port)])
    assert result.returncode == 1
    assert f"port {port} is already in use" in one_line(result.stderr)


def test_a_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert run(["tools/check-port.sh", str(port)]).returncode == 0


def test_an_unknown_network_is_refused_in_one_line():
    result = run(["make", "-s", "test", "NETWORK=hardhat"])
    assert result.returncode != 0
    assert "unknown NETWORK=hardhat; use NETWORK=ganache or NETWORK=anvil" in one_line(result.stderr)
