#!/usr/bin/env python3
"""How much of a Fréchet gap between two RL runs is the luck of the evaluation draw.

Each PAIR_JSON is `genai4j eval diffusion --model A --baseline B --seed S --json` (400 images, the
held-out prompt, both models on the same noise and against the same real images). Files are grouped
by the pair name, everything before the last "-s<seed>.json". For every pair this prints both
models' Fréchet distance per seed, their spread over seeds, and the paired difference A − B; then
the pooled standard deviations over all pairs.

A name ending in "-r<seed>.json" instead is a draw at --seed 0 with --real-seed <seed>: the samples'
noise stays and the real reference images change. Such files group apart, as "NAME (real images
vary)", with the pair's seed-0 file as real seed 0, so that a pair's spread over draws of both can be set beside its spread over the real set alone.

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
        m = re.search(r"([^/]+)-([sr])(\d+)\.json$", p)
        if not m:
            fail(f"{p}: expected a name ending in -s<seed>.json (or -r<real seed>.json)")
        try:
            with open(p) as f:
                d = json.load(f)
        except (OSError, ValueError) as e:
            fail(f"{p}: not a readable JSON file ({e})")
        if not isinstance(d.get("baseline"), dict) or "frechet_distance" not in d:
            fail(f"{p}: no baseline model in it (run eval diffusion with --baseline)")
        real = m.group(2) == "r"
        drawn = d.get("real_seed", d["seed"]) if real else d["seed"]    # files before --real-seed: one seed for both
        if drawn != int(m.group(3)) or (real and d["seed"] != 0):
            fail(f"{p}: its name says {'real seed' if real else 'seed'} {m.group(3)}{' at seed 0' if real else ''}, "
                 f"the file says seed {d['seed']}, real seed {d.get('real_seed', d['seed'])}")
        name = m.group(1).removesuffix("-eval")
        classes = ", ".join(d.get("evaluated_classes") or ["all ten"])
        pairs[name, real][drawn] = (d["frechet_distance"], d["baseline"]["frechet_distance"], d["model"], d["baseline"]["model"], classes)

    for (name, real), runs in pairs.items():        # a pair's draw at seed 0 is also its draw at real seed 0
        if real and 0 not in runs and 0 in pairs.get((name, False), {}):
            runs[0] = pairs[name, False][0]
    label = lambda name, real: name + (" (real images vary)" if real else "")
    for (name, real), runs in pairs.items():
        if len(runs) < 2:
            fail(f"{label(name, real)}: one seed only; the spread needs two or more")
    models, diffs_by_classes = defaultdict(list), defaultdict(list)     # groups of values, each around its own mean
    print("pair | model A | model B | seeds | Fréchet A: per seed (mean ± sd) | Fréchet B: per seed (mean ± sd) | A − B: per seed (mean ± sd)")
    for name, real in sorted(pairs):
        runs = pairs[name, real]
        seeds = sorted(runs)
        a = [runs[s][0] for s in seeds]
        b = [runs[s][1] for s in seeds]
        d = [x - y for x, y in zip(a, b)]
        fmt = lambda xs: " ".join(f"{x:.1f}" for x in xs) + f" ({sum(xs) / len(xs):.1f} ± {sd(xs):.1f})"
        print(f"{label(name, real)} | {runs[seeds[0]][2]} | {runs[seeds[0]][3]} | {seeds[0]}–{seeds[-1]} | {fmt(a)} | {fmt(b)} | {fmt(d)}")
        kind = "real images alone vary" if real else "noise and real images vary"
        models[kind] += [a, b]
        diffs_by_classes[kind, runs[seeds[0]][4]].append(d)
    for kind in sorted(models):
        groups = {classes: g for (k, classes), g in diffs_by_classes.items() if k == kind}
        diffs = [d for g in groups.values() for d in g]
        print(f"{kind}: pooled sd over {len(diffs)} pairs: one model's Fréchet {pooled(models[kind]):.2f}; "
              f"the paired difference A − B {pooled(diffs):.2f}")
        for classes, g in sorted(groups.items()):
            print(f"  classes {classes}: the paired difference's sd {pooled(g):.2f} ({len(g)} pairs)")


if __name__ == "__main__":
    main(sys.argv[1:])
