#!/usr/bin/env python3
"""Markdown table of RL runs from their eval.json files (genai4j rl -o RUN writes RUN/eval.json).

Usage: python3 scripts/diffusion/rl_table.py RUN [RUN ...]
The first run's "before" block is the base row (every run evaluates the same base with the same
seed and held-out prompts, so their "before" blocks agree; a run whose base differs is flagged).
"""
import json
import sys
from pathlib import Path


def fmt(v, pct=False, digits=3):
    if v is None or v == "NaN":
        return "–"
    return f"{100 * v:.1f} %" if pct else f"{v:.{digits}f}"


def row(name, e, base_reward):
    reward = e.get("base_reward_mean")
    if reward in (None, "NaN"):
        reward = e.get("reward_mean")
    return (f"| {name} | {fmt(reward)} | {fmt(e.get('evaluator_accuracy'), pct=True)} | {fmt(e.get('kl_proxy'), digits=1)} "
            f"| {fmt(e.get('diversity'), digits=2)} | {fmt(e.get('frechet_distance'), digits=1)} |")


def main(runs):
    if not runs:
        sys.exit(__doc__)
    evals = []
    for r in runs:
        f = Path(r) / "eval.json"
        if not f.is_file():
            sys.exit(f"{f}: no eval.json (the run has not finished)")
        evals.append((Path(r).name, json.loads(f.read_text())))
    print("| run | held-out reward (un-normalized) | independent judge accuracy | KL proxy to base | diversity | Fréchet to 1,000 real |")
    print("|---|---|---|---|---|---|")
    base = evals[0][1]["before"]
    print(row("base (shipped model)", base, None))
    for name, e in evals:
        b = e["before"]
        flag = "" if abs(b["reward_mean"] - base["reward_mean"]) < 1e-6 or e["reward"] != evals[0][1]["reward"] else " (other base!)"
        print(row(f"{e['method']} on {e['reward']}, {e['epochs']} epochs ({name}){flag}", e["after"], None))


if __name__ == "__main__":
    main(sys.argv[1:])
