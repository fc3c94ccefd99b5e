#!/usr/bin/env bash
# What this machine allows bench/p2p.sh at best: plain loopback TCP (both cores, no crypto) and
# OpenSSL's assembly ChaCha20-Poly1305 and SHA-256 per core, on 64 KiB buffers (a Noise frame).
#
#   bench/p2p/ceiling.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python3 "$HERE/loopback_tcp.py"
for alg in chacha20-poly1305 sha256; do
  openssl speed -evp "$alg" -seconds 2 -bytes 65536 2>/dev/null | tail -1 \
    | awk -v a="$alg" '{ printf "openssl %s, one core, 64 KiB: %.2f GB/s\n", a, $NF / 1e6 }'
done
