#!/usr/bin/env bash
# Installs what is missing for Crosspay, inside the repository: the Python virtualenv (.venv), the npm packages
# (node_modules) and the solc-js bridge (.toolchain). Each part is skipped when its inputs have not changed, so a
# second run takes a second. Every failure ends with one line saying what to do.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fail() { echo "crosspay setup: $*" >&2; exit 1; }

# --- Python 3.11 ---------------------------------------------------------------------------------------------
python_bin=${PYTHON:-}
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      python_bin=$candidate
      break
    fi
  done
fi
[ -n "$python_bin" ] || fail "Python 3.11 is required (brownie 1.22 is pinned for it): install python3.11, or set PYTHON=/path/to/python3.11."
"$python_bin" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
  || fail "PYTHON=$python_bin is not Python 3.11: point it at a Python 3.11 interpreter."
"$python_bin" -c 'import venv, ensurepip' 2>/dev/null \
  || fail "$python_bin has no venv/ensurepip module: install your distribution's python3.11-venv package."

# --- Node 20+ ------------------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || fail "Node.js is not installed: install Node.js 20 (it runs Ganache and the Solidity compiler)."
command -v npm >/dev/null 2>&1 || fail "npm is not installed: install npm alongside Node.js 20."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || fail "Node.js $(node --version) is too old: install Node.js 20."

# --- Python virtualenv ---------------------------------------------------------------------------------------
# The stamp records a hash of the inputs; when they change, the environment is brought up to date.
py_inputs=$(cat requirements.txt constraints.txt pyproject.toml | sha256sum | cut -c1-16)
if [ "$(cat .venv/.crosspay-stamp 2>/dev/null)" != "$py_inputs" ]; then
  echo "crosspay setup: installing Python packages into .venv (first run takes about a minute)"
  [ -x .venv/bin/python ] || "$python_bin" -m venv .venv || fail "could not create .venv with $python_bin."
  if ! .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements.txt -c constraints.txt \
      > .venv/pip-install.log 2>&1; then
    grep -E "^ERROR" .venv/pip-install.log | tail -n 3 >&2 || true
    fail "pip install failed (full log: .venv/pip-install.log); check that PyPI is reachable and rerun."
  fi
  # The crosspay package (pyproject.toml), installed editable: scripts and tests import the working tree.
  # --no-build-isolation builds with the setuptools already in .venv, so nothing more is downloaded.
  if ! .venv/bin/python -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e . \
      >> .venv/pip-install.log 2>&1; then
    grep -E "^ERROR" .venv/pip-install.log | tail -n 3 >&2 || true
    fail "installing the crosspay package failed (full log: .venv/pip-install.log); rerun."
  fi
  site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  rm -f "$site/crosspay-project.pth"  # the path file earlier versions of this script wrote
  # `source .venv/bin/activate` then gives a shell where plain `brownie test` works too.
  if ! grep -q "crosspay toolchain" .venv/bin/activate; then
    cat >> .venv/bin/activate <<ACTIVATE
# crosspay toolchain: local chains from node_modules and the solc-js bridge for py-solc-x
export PATH="$root/node_modules/.bin:\$PATH"
export SOLCX_BINARY_PATH="$root/.toolchain/solcx"
ACTIVATE
  fi
  echo "$py_inputs" > .venv/.crosspay-stamp
fi

# --- npm packages --------------------------------------------------------------------------------------------
node_inputs=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
if [ "$(cat node_modules/.crosspay-stamp 2>/dev/null)" != "$node_inputs" ]; then
  echo "crosspay setup: installing npm packages (Ganache, Anvil, solc-js, OpenZeppelin, prettier, two EMVCo parsers for the interop tests)"
  if ! npm ci --no-audit --no-fund --loglevel=error > .npm-install.log 2>&1; then
    tail -n 3 .npm-install.log >&2
    fail "npm ci failed (full log: .npm-install.log); check that the npm registry is reachable and rerun."
  fi
  rm -f .npm-install.log
  echo "$node_inputs" > node_modules/.crosspay-stamp
fi

# --- build cache --------------------------------------------------------------------------------------------
# brownie does not notice a change of compiler settings in brownie-config.yaml and keeps stale bytecode.
compiler_inputs=$(sed -n '/^compiler:/,/^[a-z]/p' brownie-config.yaml | sha256sum | cut -c1-16)
if [ -d build ] && [ "$(cat build/.crosspay-compiler-stamp 2>/dev/null)" != "$compiler_inputs" ]; then
  rm -rf build/contracts build/interfaces
fi
mkdir -p build
echo "$compiler_inputs" > build/.crosspay-compiler-stamp

# --- solc-js bridge ------------------------------------------------------------------------------------------
# py-solc-x finds compilers as <SOLCX_BINARY_PATH>/solc-v<version>; this one runs solc-js through node.
solc_version=$(node -p 'require("./node_modules/solc/package.json").version')
bridge=.toolchain/solcx/solc-v$solc_version
mkdir -p .toolchain/solcx
printf '#!/bin/sh\nexec node "%s/tools/solc-bridge.js" "$@"\n' "$root" > "$bridge.tmp"
chmod +x "$bridge.tmp"
mv "$bridge.tmp" "$bridge"
# Slither and other tools call plain `solc`.
ln -sf "solc-v$solc_version" .toolchain/solcx/solc
# slither-analyzer brings solc-select, whose `solc` shim in .venv/bin would download compilers (no host but the
# package registries is reachable, so it hangs) and which py-solc-x would adopt as its default (`which solc`).
# In this project every `solc` is the solc-js bridge.
ln -sf "$root/$bridge" .venv/bin/solc
