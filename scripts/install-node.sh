#!/usr/bin/env bash
# Installs Node.js and npm from Debian's packages when either is missing: the server module's
# OpenAiNodeClientTest runs the real npm 'openai' client (pinned in server/src/test/node/package-lock.json,
# installed by the test itself with 'npm ci' into server/target/npm) against the server.
# Idempotent: prints nothing and exits 0 when both are present.
#   bash scripts/install-node.sh        # as root (CI, the dev machines), or with sudo available
set -euo pipefail

command -v node >/dev/null && command -v npm >/dev/null && exit 0

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "install-node: node/npm missing; run as root: apt-get install -y nodejs npm" >&2; exit 1
  fi
fi
echo "install-node: installing nodejs npm" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null 2> >(grep -v '^debconf: delaying' >&2)
command -v node >/dev/null && command -v npm >/dev/null || { echo "install-node: installed, but node or npm is still not on the PATH" >&2; exit 1; }
