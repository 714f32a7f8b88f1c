#!/usr/bin/env bash
# Refuses to go on when a local chain's port is taken (any of the ports given): brownie would otherwise attach to
# whatever listens there.
: "${1:?usage: check-port.sh PORT [PORT...]}"
for port in "$@"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "crosspay: port $port is already in use; stop the process listening on it (e.g. a leftover ganache or anvil: \`fuser -k $port/tcp\`) and rerun, or give this run its own port: make ... PORT=8546." >&2
    exit 1
  fi
done
