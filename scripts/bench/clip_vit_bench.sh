#!/bin/bash
# ViT-B/32 image-tower encoding, genai4j vs PyTorch (Debian python3-torch on OpenBLAS), same shapes,
# batch 1 and 32, 1 and 2 threads; ours with heap weights (packed per product, like OpenBLAS) and with the
# same init memory-mapped from safetensors (packed once); prints every line and ours/torch ratios (>1: faster).
# usage: bash scripts/bench/clip_vit_bench.sh [REPS]   (after: mvn -q -o -pl cli -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${1:-3}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
echo "# torch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); BLAS: $(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || echo unknown)"
out=$(mktemp)
for t in 1 2; do
  for b in 1 32; do
    r=$REPS; [ "$b" -gt 1 ] && r=$(( REPS > 1 ? REPS - 1 : 1 ))
    for w in heap checkpoint; do
      "$JAVA" --add-modules jdk.incubator.vector -cp "cli/target/genai4j-cli.jar:cli/target/lib/*" dev.genai4j.cli.Main \
        bench clip-vit --weights $w --threads $t --batches $b --reps $r 2>/dev/null | grep '^clipvit' | tee -a "$out"
    done
    # OPENBLAS_NUM_THREADS too: torch.set_num_threads does not bound OpenBLAS's own pthread pool,
    # which otherwise uses both cores in the "1 thread" rows (found in scripts/bench/diffusion.sh)
    OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t /usr/bin/python3 scripts/bench/clip_vit_torch.py --threads $t --batches $b --reps $r | tee -a "$out"
  done
done
awk '{w="torch"; for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]; if(kv[1]=="weights") w=kv[2]}
       key=v["batch"]" "v["threads"]; if(v["impl"]=="torch") t[key]=v["img_s"]; else { s[key, w]=v["img_s"]; ws[w]=1 }; keys[key]=1}
     END{for(k in keys) for(w in ws){split(k,p," "); printf "ratio batch=%s threads=%s weights=%s ours/torch=%.2f\n", p[1], p[2], w, s[k,w]/t[k]}}' "$out" | sort
rm -f "$out"
