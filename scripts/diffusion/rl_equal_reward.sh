#!/usr/bin/env bash
# Every DPOK / DDPO-IS comparison of the README's RL sections as reward / Fréchet paths, from the
# judged runs kept under docs/diffusion/rl/ (paths/ and well-drawn/): one PNG per setting and seed
# in OUT_DIR (default docs/diffusion/rl/paths), and for each DPOK run the Fréchet distance of
# DDPO-IS's path at DPOK's reward (the equal-reward comparison). Runs scripts/diffusion/RlFrontier.java.
#   bash scripts/diffusion/rl_equal_reward.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT_DIR=${1:-docs/diffusion/rl/paths}
mkdir -p "$OUT_DIR"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
[ -x "$JAVA" ] || JAVA=java
[ -f cli/target/genai4j-cli.jar ] || ./genai4j --version > /dev/null    # builds on first use
P=docs/diffusion/rl/paths; W=docs/diffusion/rl/well-drawn
path() { local prefix=$1; shift; local out=(); for e in "$@"; do out+=("$prefix-$e"); done; (IFS=,; echo "${out[*]}"); }
plot() {
  echo "### $1"
  "$JAVA" --add-modules jdk.incubator.vector -cp "cli/target/genai4j-cli.jar:cli/target/lib/*" scripts/diffusion/RlFrontier.java \
      "$OUT_DIR/$1.png" "${@:2}" 2> >(grep -v "WARNING: Using incubator modules" >&2) | grep -v "^wrote"
}
worst="t-shirt / sandal / sneaker / ankle boot, guidance 3 (shipped base)"
well="trouser / dress / bag / shirt"
plot old-jpeg "JPEG, $worst" "DPOK=$(path $P/old-jpeg-dpok 16 32)" "DDPO-IS=$(path $P/old-jpeg-ddpois 2 4 8 12 16)"
plot old-classifier-p "classifier-p, $worst" "DPOK=$(path $P/old-classifier-p-dpok 12 28)" "DDPO-IS=$(path $P/old-classifier-p-ddpois 2 4 8 12)"
plot old-classifier-p-s1 "classifier-p, $worst, seed 1" "DPOK=$(path $P/old-classifier-p-dpok-s1 12 28)" "DDPO-IS=$(path $P/old-classifier-p-ddpois-s1 2 4 8 12)"
plot old-preference "preference, $worst" "DPOK=$(path $P/old-preference-dpok 12 36)" "DDPO-IS=$(path $P/old-preference-ddpois 2 4 8 12)"
plot g1-jpeg "JPEG, $well, guidance 1 (8,000-step base)" "DPOK lr 1e-4=$(path $P/g1-jpeg-dpok-lr1e-4 12 24)" \
    "DDPO-IS lr 1e-4=$(path $P/g1-jpeg-ddpois-lr1e-4 2 4 8 12 16 24)" "DPOK lr 3e-4=$W/g1-jpeg-dpok-12,$P/g1-jpeg-dpok-lr3e-4-24" \
    "DDPO-IS lr 3e-4=$(path $W/g1-jpeg-ddpois 2 4 8 12)"
for r in classifier-p preference; do
  plot g1-$r-s0 "$r, $well, guidance 1, seed 0" "DPOK=$W/g1-$r-dpok-12" "DDPO-IS=$(path $W/g1-$r-ddpois 2 4 8 12)"
  for s in 1 2; do
    plot g1-$r-s$s "$r, $well, guidance 1, seed $s" "DPOK=$P/g1-$r-dpok-s$s-12" "DDPO-IS=$(path $P/g1-$r-ddpois-s$s 2 4 8 12)"
  done
done
plot g3-classifier-p-s0 "classifier-p, $well, guidance 3, seed 0" "DPOK=$(path $W/g3-classifier-p-dpok 12 36)" "DDPO-IS=$(path $W/g3-classifier-p-ddpois 2 4 8 12)"
for s in 1 2; do
  plot g3-classifier-p-s$s "classifier-p, $well, guidance 3, seed $s" "DPOK=$(path $P/g3-classifier-p-dpok-s$s 12 36)" "DDPO-IS=$(path $P/g3-classifier-p-ddpois-s$s 4 12)"
done
plot g3-preference-s0 "preference, $well, guidance 3, seed 0" "DPOK=$W/g3-preference-dpok-12" "DDPO-IS=$(path $W/g3-preference-ddpois 2 4 8 12)"
plot g3-preference-s1 "preference, $well, guidance 3, seed 1" "DPOK=$P/g3-preference-dpok-s1-12" "DDPO-IS=$(path $P/g3-preference-ddpois-s1 2 4 8 12)"
# DPOK with a 10x weaker KL term (--beta 0.01) against the same DDPO-IS paths
plot g3-classifier-p-beta0.01-s0 "classifier-p, $well, guidance 3, seed 0, DPOK beta 0.01" "DPOK beta 0.01=$(path $P/g3-classifier-p-dpok-beta0.01-s0 12 36)" "DDPO-IS=$(path $W/g3-classifier-p-ddpois 2 4 8 12)"
plot g3-classifier-p-beta0.01-s1 "classifier-p, $well, guidance 3, seed 1, DPOK beta 0.01" "DPOK beta 0.01=$(path $P/g3-classifier-p-dpok-beta0.01-s1 12 36)" "DDPO-IS=$(path $P/g3-classifier-p-ddpois-s1 4 12)"
plot g1-preference-beta0.01-s0 "preference, $well, guidance 1, seed 0, DPOK beta 0.01" "DPOK beta 0.01=$P/g1-preference-dpok-beta0.01-s0-12" "DDPO-IS=$(path $W/g1-preference-ddpois 2 4 8 12)"
plot g1-preference-beta0.01-s1 "preference, $well, guidance 1, seed 1, DPOK beta 0.01" "DPOK beta 0.01=$P/g1-preference-dpok-beta0.01-s1-12" "DDPO-IS=$(path $P/g1-preference-ddpois-s1 2 4 8 12)"
# Session 17: DPOK whose value baseline sees the noisy image, V(x_t, prompt, t), as the reference's
# ValueMulti does (runs *-dpok-vx-*), against the same DDPO-IS paths and the V(prompt, t) DPOK above
V="DPOK, V(x_t)"; U="DPOK, V(prompt, t)"
plot old-jpeg-vx "JPEG, $worst" "$V=$(path $P/old-jpeg-dpok-vx 16 32)" "$U=$(path $P/old-jpeg-dpok 16 32)" "DDPO-IS=$(path $P/old-jpeg-ddpois 2 4 8 12 16)"
plot old-classifier-p-vx "classifier-p, $worst" "$V=$(path $P/old-classifier-p-dpok-vx 12 28)" "$U=$(path $P/old-classifier-p-dpok 12 28)" "DDPO-IS=$(path $P/old-classifier-p-ddpois 2 4 8 12)"
plot old-classifier-p-vx-s1 "classifier-p, $worst, seed 1" "$V=$(path $P/old-classifier-p-dpok-vx-s1 12 28)" "$U=$(path $P/old-classifier-p-dpok-s1 12 28)" "DDPO-IS=$(path $P/old-classifier-p-ddpois-s1 2 4 8 12)"
plot old-preference-vx "preference, $worst" "$V=$(path $P/old-preference-dpok-vx 12 36)" "$U=$(path $P/old-preference-dpok 12 36)" "DDPO-IS=$(path $P/old-preference-ddpois 2 4 8 12)"
plot g1-jpeg-vx "JPEG, $well, guidance 1 (8,000-step base)" "$V=$(path $P/g1-jpeg-dpok-vx-lr1e-4 12 24)" "$U=$(path $P/g1-jpeg-dpok-lr1e-4 12 24)" \
    "DDPO-IS=$(path $P/g1-jpeg-ddpois-lr1e-4 2 4 8 12 16 24)"
for r in classifier-p preference; do
  plot g1-$r-vx-s0 "$r, $well, guidance 1, seed 0" "$V=$P/g1-$r-dpok-vx-s0-12" "$U=$W/g1-$r-dpok-12" "DDPO-IS=$(path $W/g1-$r-ddpois 2 4 8 12)"
  for s in 1 2; do
    plot g1-$r-vx-s$s "$r, $well, guidance 1, seed $s" "$V=$P/g1-$r-dpok-vx-s$s-12" "$U=$P/g1-$r-dpok-s$s-12" "DDPO-IS=$(path $P/g1-$r-ddpois-s$s 2 4 8 12)"
  done
done
plot g3-classifier-p-vx-s0 "classifier-p, $well, guidance 3, seed 0" "$V=$P/g3-classifier-p-dpok-vx-s0-12" "$U=$(path $W/g3-classifier-p-dpok 12 36)" "DDPO-IS=$(path $W/g3-classifier-p-ddpois 2 4 8 12)"
for s in 1 2; do
  plot g3-classifier-p-vx-s$s "classifier-p, $well, guidance 3, seed $s" "$V=$(path $P/g3-classifier-p-dpok-vx-s$s 12 36)" "$U=$(path $P/g3-classifier-p-dpok-s$s 12 36)" "DDPO-IS=$(path $P/g3-classifier-p-ddpois-s$s 4 12)"
done
plot g3-preference-vx-s0 "preference, $well, guidance 3, seed 0" "$V=$P/g3-preference-dpok-vx-s0-12" "$U=$W/g3-preference-dpok-12" "DDPO-IS=$(path $W/g3-preference-ddpois 2 4 8 12)"
plot g3-preference-vx-s1 "preference, $well, guidance 3, seed 1" "$V=$P/g3-preference-dpok-vx-s1-12" "$U=$P/g3-preference-dpok-s1-12" "DDPO-IS=$(path $P/g3-preference-ddpois-s1 2 4 8 12)"
# seeds added in session 17 where a row had fewer (both methods run with this code)
plot old-preference-vx-s1 "preference, $worst, seed 1" "$V=$(path $P/old-preference-dpok-vx-s1 12 36)" "DDPO-IS=$(path $P/old-preference-ddpois-s1 2 4 8 12)"
plot g3-preference-vx-s2 "preference, $well, guidance 3, seed 2" "$V=$P/g3-preference-dpok-vx-s2-12" "DDPO-IS=$(path $P/g3-preference-ddpois-s2 2 4 8 12)"
# Session 18: eight more training seeds (3-10) on the well-drawn classes at guidance 1, both methods, this code
for r in classifier-p preference; do
  for s in 3 4 5 6 7 8 9 10; do
    plot g1-$r-vx-s$s "$r, $well, guidance 1, seed $s" "$V=$P/g1-$r-dpok-vx-s$s-12" "DDPO-IS=$(path $P/g1-$r-ddpois-s$s 2 4 8 12)"
  done
done
# Session 19: the confirmatory seeds 11-22 (docs/diffusion/rl/confirmatory-protocol.md), same commands;
# a seed whose runs are not all judged yet is named on stderr and left out
for r in classifier-p preference; do
  for s in $(seq 11 22); do
    if [ ! -f "$P/g1-$r-dpok-vx-s$s-12-paired.json" ] || [ ! -f "$P/g1-$r-ddpois-s$s-12-paired.json" ]; then
      echo "rl_equal_reward.sh: $r seed $s not judged yet, left out" >&2; continue
    fi
    plot g1-$r-vx-s$s "$r, $well, guidance 1, seed $s" "$V=$P/g1-$r-dpok-vx-s$s-12" "DDPO-IS=$(path $P/g1-$r-ddpois-s$s 2 4 8 12)"
  done
done
# ... and classifier-p there with DDPO-IS run on to 16 and 24 epochs where its 12 did not reach DPOK's reward
# (seeds 0, 1, 3-9), so that fewer comparisons fall back on its best stop
for s in 0 1 2 3 4 5 6 7 8 9 10; do
  if [ $s = 0 ]; then ddpo=$W/g1-classifier-p-ddpois; else ddpo=$P/g1-classifier-p-ddpois-s$s; fi
  stops="2 4 8 12"; [ -f "$ddpo-24-paired.json" ] && stops="2 4 8 12 16 24"
  plot g1-classifier-p-vx-long-s$s "classifier-p, $well, guidance 1, seed $s, DDPO-IS to ${stops##* } epochs" \
      "$V=$P/g1-classifier-p-dpok-vx-s$s-12" "DDPO-IS=$(path $ddpo $stops)"
done
# ... and the same DPOK without its KL term (--beta 0), the paper's own ablation, seed 0 (JPEG: lr 3e-4 as in session 15)
B="DPOK beta 0, V(x_t)"
plot old-classifier-p-vx-beta0 "classifier-p, $worst" "$V=$(path $P/old-classifier-p-dpok-vx 12 28)" "$B=$P/old-classifier-p-dpokb0-vx-12"
plot old-preference-vx-beta0 "preference, $worst" "$V=$(path $P/old-preference-dpok-vx 12 36)" "$B=$(path $P/old-preference-dpokb0-vx 8 12)"
plot g1-jpeg-vx-beta0 "JPEG, $well, guidance 1" "$V lr 1e-4=$(path $P/g1-jpeg-dpok-vx-lr1e-4 12 24)" "$B lr 3e-4=$P/g1-jpeg-dpokb0-vx-12"
for g in 1 3; do
  for r in classifier-p preference; do
    plot g$g-$r-vx-beta0 "$r, $well, guidance $g" "$V=$P/g$g-$r-dpok-vx-s0-12" "$B=$P/g$g-$r-dpokb0-vx-12"
  done
done
