#!/usr/bin/env python3
"""How much of a Fréchet gap between two RL runs is the luck of the evaluation draw.

Each PAIR_JSON is `genai4j eval diffusion --model A --baseline B --seed S --json` (400 images, the
held-out prompt, both models on the same noise and against the same real images). Files are grouped
by the pair name, everything before the last "-s<seed>.json". For every pair this prints both
models' Fréchet distance per seed, their spread over seeds, and the paired difference A − B; then
the pooled standard deviations over all pairs.

    python3 scripts/diffusion/fd_noise.py docs/diffusion/rl/fdnoise/*.json
"""
import json
import math
import re
import sys
from collections import defaultdict


def fail(msg):
    print(f"fd_noise.py: {msg}", file=sys.stderr)
    sys.exit(2)


def sd(xs):
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def pooled(groups):
    """Σ squared deviations from each group's own mean over Σ (n − 1): one model's draws, or one pair's differences."""
    squares = sum((x - sum(g) / len(g)) ** 2 for g in groups for x in g)
    return math.sqrt(squares / sum(len(g) - 1 for g in groups))


def main(paths):
    if not paths:
        fail("give the pair JSON files (NAME-s<seed>.json), e.g. docs/diffusion/rl/fdnoise/*.json")
    pairs = defaultdict(dict)
    for p in paths:
        m = re.search(r"([^/]+)-s(\d+)\.json$", p)
        if not m:
            fail(f"{p}: expected a name ending in -s<seed>.json")
        try:
            with open(p) as f:
                d = json.load(f)
        except (OSError, ValueError) as e:
            fail(f"{p}: not a readable JSON file ({e})")
        if not isinstance(d.get("baseline"), dict) or "frechet_distance" not in d:
            fail(f"{p}: no baseline model in it (run eval diffusion with --baseline)")
        if d["seed"] != int(m.group(2)):
            fail(f"{p}: its name says seed {m.group(2)}, the file says {d['seed']}")
        name = m.group(1).removesuffix("-eval")
        classes = ", ".join(d.get("evaluated_classes") or ["all ten"])
        pairs[name][d["seed"]] = (d["frechet_distance"], d["baseline"]["frechet_distance"], d["model"], d["baseline"]["model"], classes)

    for name, runs in pairs.items():
        if len(runs) < 2:
            fail(f"{name}: one seed only; the spread needs two or more")
    models, diffs_by_classes = [], defaultdict(list)     # groups of values, each around its own mean
    print("pair | model A | model B | seeds | Fréchet A: per seed (mean ± sd) | Fréchet B: per seed (mean ± sd) | A − B: per seed (mean ± sd)")
    for name in sorted(pairs):
        runs = pairs[name]
        seeds = sorted(runs)
        a = [runs[s][0] for s in seeds]
        b = [runs[s][1] for s in seeds]
        d = [x - y for x, y in zip(a, b)]
        fmt = lambda xs: " ".join(f"{x:.1f}" for x in xs) + f" ({sum(xs) / len(xs):.1f} ± {sd(xs):.1f})"
        print(f"{name} | {runs[seeds[0]][2]} | {runs[seeds[0]][3]} | {seeds[0]}–{seeds[-1]} | {fmt(a)} | {fmt(b)} | {fmt(d)}")
        models += [a, b]
        diffs_by_classes[runs[seeds[0]][4]].append(d)
    diffs = [d for group in diffs_by_classes.values() for d in group]
    print(f"pooled sd over {len(pairs)} pairs: one model's Fréchet {pooled(models):.2f}; "
          f"the paired difference A − B {pooled(diffs):.2f}")
    for classes, groups in sorted(diffs_by_classes.items()):
        print(f"  classes {classes}: the paired difference's sd {pooled(groups):.2f} ({len(groups)} pairs)")

if __name__ == "__main__":
    main(sys.argv[1:])
