#!/usr/bin/env bash
# The diffusion UNet side by side: ours (genai4j bench diffusion) and the same UNet in PyTorch
# (Debian python3-torch with OpenBLAS: apt-get install python3-torch libopenblas0-pthread), same
# shapes and timing; prints both lines and the ratios ours / torch.
# Usage: bash scripts/bench/diffusion.sh [--threads N] [--config fashion|wide] [--warmup N] [--iters N] (both sides get the same)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ours=$("$ROOT/genai4j" bench diffusion "$@" | grep '^diffusion side=ours')
# the same thread count for torch's BLAS: torch.set_num_threads does not bound OpenBLAS's own pthread
# pool, and without this "--threads 1" torch used ~2 cores of CPU per wall second (session 6)
threads=1; prev=""
for a in "$@"; do [[ "$prev" == "--threads" ]] && threads="$a"; [[ "$a" == --threads=* ]] && threads="${a#--threads=}"; prev="$a"; done
torch=$(OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" /usr/bin/python3 "$ROOT/scripts/bench/diffusion_unet_torch.py" "$@" | grep '^diffusion side=torch')
echo "$ours"; echo "$torch"
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
for k in sample_images_s sample_images_cpu_s train_steps_s train_steps_cpu_s; do
  awk -v k="$k" -v a="$(field "$ours" "$k")" -v b="$(field "$torch" "$k")" 'BEGIN { printf "ratio %s ours/torch = %.2f\n", k, a / b }'
done
[[ "$(field "$ours" params)" == "$(field "$torch" params)" ]] || { echo "parameter counts differ: not the same UNet" >&2; exit 1; }
