#!/usr/bin/env bash
# Installs Debian's chromium when it is missing: the server module's BrowserUiTest drives the browser
# UI in it, headless, through the npm playwright-core (pinned in server/src/test/node/package-lock.json)
# with executablePath=/usr/bin/chromium. Playwright's own browser downloads are never used.
# Idempotent: prints nothing and exits 0 when chromium is present.
#   bash scripts/install-chromium.sh        # as root (CI, the dev machines), or with sudo available
set -euo pipefail

[[ -x /usr/bin/chromium ]] && exit 0

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "install-chromium: chromium missing; run as root: apt-get install -y chromium" >&2; exit 1
  fi
fi
echo "install-chromium: installing chromium" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null 2> >(grep -v '^debconf: delaying' >&2)
[[ -x /usr/bin/chromium ]] || { echo "install-chromium: installed, but /usr/bin/chromium is still missing" >&2; exit 1; }
