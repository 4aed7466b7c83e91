#!/usr/bin/env bash
# One RL run stopped at several epoch counts, each stop kept and judged paired with the base.
#
#   BASE=MODEL_DIR CLASSES="trouser,dress,bag,shirt" GUIDANCE=1 OUT=runs/paths [SEED=0] [FROM=E0] \
#     scripts/diffusion/rl_chain.sh METHOD REWARD LR NAME "E1 E2 ..." [more genai4j rl options]
#
# Runs `genai4j rl` to E1 epochs into OUT/NAME-E1, copies it to OUT/NAME-E2 and continues it there
# with --resume, and so on (a resumed run draws exactly what an unbroken one would). FROM=E0 extends
# an existing chain instead: E1 starts from a copy of OUT/NAME-E0. After each stop
# it writes OUT/NAME-E/paired.json: `genai4j eval diffusion --baseline BASE`, 400 images from the
# held-out prompts on the same noise as the base's. Settings are the README's RL settings: 32
# samples an epoch, 10 DDIM steps at eta 1, one thread; ddpo-is trains in batches of 16, and the
# preference reward reads runs/clip-fashion and runs/preference. scripts/diffusion/RlFrontier.java
# draws the stops as each method's reward / Fréchet path.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 5 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
: "${BASE:?set BASE to the base model folder}" "${CLASSES:?set CLASSES}" "${GUIDANCE:?set GUIDANCE}" "${OUT:?set OUT}"
M=$1; R=$2; LR=$3; NAME=$4; EPOCHS=$5; shift 5
./genai4j --version > /dev/null          # build now if needed, then never mid-run (edits elsewhere stay out)
export GENAI4J_NO_REBUILD=1
common=(--model "$BASE" --classes "$CLASSES" --samples 32 --sample-batch 16 --steps 10 --eta 1
        --guidance "$GUIDANCE" --eval-per-prompt 16 --checkpoint-every 4 --seed "${SEED:-0}" --threads 1)
extra=()
[ "$R" = preference ] && extra=(--clip runs/clip-fashion/checkpoint --preference runs/preference)
[ "$M" = ddpo-is ] && extra+=(--train-batch 16)
mkdir -p "$OUT"
prev=${FROM:-}
[ -z "$prev" ] || [ -d "$OUT/$NAME-$prev" ] || { echo "rl_chain.sh: FROM=$prev but $OUT/$NAME-$prev does not exist" >&2; exit 2; }
for e in $EPOCHS; do
  O=$OUT/$NAME-$e
  if [ -z "$prev" ]; then
    ./genai4j rl --method "$M" --reward "$R" --lr "$LR" --epochs "$e" "${common[@]}" "${extra[@]}" "$@" -o "$O" > "$O.log" 2>&1
  else
    rm -rf "$O"
    cp -r "$OUT/$NAME-$prev" "$O"
    rm -f "$O/paired.json"
    ./genai4j rl --method "$M" --reward "$R" --lr "$LR" --epochs "$e" --resume "${common[@]}" "${extra[@]}" "$@" -o "$O" > "$O.log" 2>&1
  fi
  ./genai4j eval diffusion --model "$O/checkpoint" --baseline "$BASE" --classes "$CLASSES" --per-class 100 --steps 10 --eta 1 \
      --guidance "$GUIDANCE" --prompt-template "a picture showing a {}" --threads 1 --json -q > "$O/paired.json.tmp" 2> "$O/paired.log"
  mv "$O/paired.json.tmp" "$O/paired.json"
  echo "$O: $(grep 'held-out' "$O.log" | tail -1)"
  prev=$e
done
