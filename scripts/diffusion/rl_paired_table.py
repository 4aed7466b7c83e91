#!/usr/bin/env python3
"""Markdown table of RL models judged against the base on the same noise.

Usage: python3 scripts/diffusion/rl_paired_table.py PAIRED.json [PAIRED.json ...]
Each file is the --json output of
  genai4j eval diffusion --model RUN/checkpoint --baseline BASE --classes ... --json
(one model, its baseline, and the paired verdicts). The first file's baseline block is the base
row; a file whose baseline differs from it (other options, classes or numbers) is refused. When
the model folder's run has an eval.json beside it (genai4j rl -o RUN writes RUN/eval.json and
RUN/checkpoint), its held-out reward and KL proxy to the base (64 images) are shown too.
"""
import json
import sys
from pathlib import Path


def pct(v):
    return "–" if v is None else f"{100 * v:.1f} %"


def num(v, digits):
    return "–" if v is None or v == "NaN" else f"{v:.{digits}f}"


def p_value(p):
    return f"{p:.2g}" if p >= 1e-4 else f"{p:.0e}"


def run_eval(model_dir):
    """RUN/eval.json for a model folder RUN/checkpoint, or None."""
    f = Path(model_dir).parent / "eval.json"
    return json.loads(f.read_text()) if f.is_file() else None


def same(a, b):
    """Equal, floats to 1e-6 relative (the Fréchet distance's last digits vary from run to run)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b))
    return a == b


def row_name(f):
    """RUN for RUN/paired.json (what the README's loop writes), else the file's stem."""
    p = Path(f)
    return p.parent.name if p.name == "paired.json" else p.name.removesuffix(".json")


def base_label(base):
    """'base (shipped model)' for the shipped model's cache folder, else 'base (FOLDER)'."""
    model = str(base.get("model", ""))
    shipped = "/genai4j/models/diffusion-fashion-mnist-" in model
    return "base (shipped model)" if shipped else f"base ({model})"


def main(files):
    if not files:
        sys.exit(__doc__)
    rows = []
    for f in files:
        if not Path(f).is_file():
            sys.exit(f"no such paired JSON: {f} (write it with genai4j eval diffusion ... --baseline BASE --json > RUN/paired.json)")
        try:
            r = json.loads(Path(f).read_text())
        except json.JSONDecodeError as e:
            sys.exit(f"{f}: not JSON ({e}); expected the --json output of genai4j eval diffusion --baseline")
        if not isinstance(r, dict) or "baseline" not in r:
            sys.exit(f"{f}: has no 'baseline' block; expected the output of genai4j eval diffusion --baseline BASE --json")
        rows.append((row_name(f), r))
    base = rows[0][1]["baseline"]
    keys = ("judge_accuracy", "frechet_distance", "samples", "steps", "eta", "guidance", "prompt_template", "evaluated_classes")
    for name, r in rows:
        if any(not same(r["baseline"].get(k), base.get(k)) for k in keys):
            sys.exit(f"{name}: its baseline differs from {rows[0][0]}'s (options, classes or numbers)")
    n = base["samples"]
    print(f"| run | judge accuracy ({n} images) | only this model right / only base right | McNemar p "
          f"| Fréchet to real images of these classes | diversity | held-out reward | KL proxy to base |")
    print("|---|---|---|---|---|---|---|---|")
    first = run_eval(rows[0][1]["model"])
    before = first["before"] if first else {}
    base_reward = before.get("base_reward_mean")
    if base_reward in (None, "NaN"):
        base_reward = before.get("reward_mean")
    print(f"| {base_label(base)} | {pct(base['judge_accuracy'])} | – | – | {num(base['frechet_distance'], 1)} "
          f"| {num(base['diversity_samples'], 2)} | {num(base_reward, 3)} | 0 |")
    for name, r in rows:
        p = r["paired"]
        e = (run_eval(r["model"]) or {}).get("after", {})
        reward = e.get("base_reward_mean")
        if reward in (None, "NaN"):
            reward = e.get("reward_mean")
        print(f"| {name} | {pct(r['judge_accuracy'])} | {p['model_only_correct']} / {p['baseline_only_correct']} | {p_value(p['mcnemar_p'])} "
              f"| {num(r['frechet_distance'], 1)} | {num(r['diversity_samples'], 2)} | {num(reward, 3)} | {num(e.get('kl_proxy'), 1)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
