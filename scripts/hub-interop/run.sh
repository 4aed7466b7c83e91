#!/usr/bin/env bash
# Manual interop check (not part of the test suite): genai4j's hub client and Python's
# huggingface_hub read each other's caches. Needs a Python with huggingface_hub installed
# (e.g. python3 -m venv /tmp/hubvenv && /tmp/hubvenv/bin/pip install huggingface_hub) and the
# built CLI (mvn -q -o -pl cli -am package -DskipTests). Everything stays on 127.0.0.1.
#   scripts/hub-interop/run.sh /tmp/hubvenv/bin/python
set -euo pipefail
PY="${1:?usage: run.sh PYTHON_WITH_HUGGINGFACE_HUB}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
CLI=("$JAVA" -cp "$ROOT/cli/target/genai4j-cli.jar:$ROOT/cli/target/lib/*" dev.genai4j.cli.Main)
WORK="$(mktemp -d)"; PORT=18731
"$PY" "$ROOT/scripts/hub-interop/fakehub.py" "$PORT" 2> "$WORK/server.log" & SERVER=$!
trap 'kill $SERVER; rm -rf "$WORK"' EXIT
sleep 1.5
cd "$WORK"
echo "== Python downloads into cacheA; Java finds it offline"
HF_HUB_DISABLE_XET=1 "$PY" -c "from huggingface_hub import snapshot_download as s; print(s('acme/tiny', cache_dir='cacheA', endpoint='http://127.0.0.1:$PORT'))"
"${CLI[@]}" models download hf:acme/tiny --offline --cache-dir cacheA --json
echo "== Java downloads into cacheB; Python finds it offline and the weights hash right"
"${CLI[@]}" models download hf:acme/tiny --hub-endpoint "http://127.0.0.1:$PORT" --cache-dir cacheB
HF_HUB_OFFLINE=1 "$PY" -c "
import hashlib
from huggingface_hub import snapshot_download, hf_hub_download
print(snapshot_download('acme/tiny', cache_dir='cacheB'))
print(hashlib.sha256(open(hf_hub_download('acme/tiny', 'model.safetensors', cache_dir='cacheB'), 'rb').read()).hexdigest())"
echo "== layouts (Python also writes CACHEDIR.TAG and trees/<commit>.json)"
diff <(cd cacheA && find . -printf '%y %p %l\n' | sort) <(cd cacheB && find . -printf '%y %p %l\n' | sort) || true
