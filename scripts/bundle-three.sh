#!/usr/bin/env bash
# Copies three.js (pinned in server/src/main/ui-vendor/package-lock.json, installed with 'npm ci')
# into the server's UI as ui/vendor/: three.module.js, three.core.js (which it imports),
# OrbitControls.js (its import of 'three' rewritten to ./three.module.js, so the page needs no
# import map) and the licence. Run by the server module's build (exec-maven-plugin, generate-resources):
#   bash scripts/bundle-three.sh server/src/main/ui-vendor server/target/ui-vendor server/target/classes/ui/vendor
# Without npm the UI is built without three.js: a warning, exit 0 — except under CI=true, where the
# bundle is required (.ci/run installs node and npm first) and a missing npm is an error.
set -euo pipefail
src=$1 work=$2 out=$3

if ! command -v npm >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "bundle-three: npm is missing and CI=true: three.js must be bundled (run scripts/install-node.sh first)" >&2; exit 1
  fi
  echo "bundle-three: WARNING: npm is not installed; the UI is built without three.js (bash scripts/install-node.sh adds it)" >&2
  exit 0
fi

mkdir -p "$work" "$out"
# npm ci only when the lock changed or the package is missing: offline rebuilds stay offline
if ! cmp -s "$src/package-lock.json" "$work/package-lock.json" || [[ ! -f "$work/node_modules/three/build/three.module.js" ]]; then
  cp "$src/package.json" "$src/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline) >&2
fi
three="$work/node_modules/three"
cp "$three/build/three.module.js" "$three/build/three.core.js" "$out/"
sed "s#from 'three';#from './three.module.js';#" "$three/examples/jsm/controls/OrbitControls.js" > "$out/OrbitControls.js"
grep -q "from './three.module.js';" "$out/OrbitControls.js" || { echo "bundle-three: OrbitControls.js no longer imports 'three' as expected" >&2; exit 1; }
cp "$three/LICENSE" "$out/three.LICENSE.txt"
echo "bundle-three: three $(node -p "require('$three/package.json').version" 2>/dev/null || echo '?') → $out" >&2
