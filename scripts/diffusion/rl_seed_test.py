#!/usr/bin/env python3
"""Across training seeds: is DPOK's Fréchet distance (and KL proxy) lower than DDPO-IS's at equal reward?

Reads scripts/diffusion/rl_equal_reward.sh's output on stdin (each plot's "### NAME" header followed
by RlFrontier's lines), keeps the plots whose name is PREFIX followed by a seed number (e.g. PREFIX
g1-preference-vx-s keeps g1-preference-vx-s0 … g1-preference-vx-s10), and for each takes DPOK's first
run against the DDPO-IS path at its reward. Where DPOK's reward lies above every DDPO-IS stop, the
best stop stands in (which favours DDPO-IS); below every stop there is no comparison. Prints one row
per seed, then the sign test and the exact Wilcoxon signed-rank test on the differences.

Several PREFIXes pool their seeds into one test (both rewards at once). --seeds A-B keeps seeds A … B
only; --one-sided tests "DPOK lower" alone (the direction the issue states) instead of either way.

    bash scripts/diffusion/rl_equal_reward.sh /tmp/paths | python3 scripts/diffusion/rl_seed_test.py g1-preference-vx-s
    ... | python3 scripts/diffusion/rl_seed_test.py --seeds 11-22 --one-sided g1-preference-vx-s g1-classifier-p-vx-s
"""
import argparse
import math
import re
import sys

STOP = re.compile(r"^(.+?)\s+(\S+)\s+reward\s+(-?[\d.]+)\s+Fréchet\s+([\d.]+)\s+KL\s+([\d.]+)$")
EQUAL = re.compile(r"^equal reward (-?[\d.]+): .+ (\S+) ([\d.]+); DDPO-IS (.*)$")
AT = re.compile(r"^([\d.]+), KL (\d+)")


def fail(msg):
    print(f"rl_seed_test.py: {msg}", file=sys.stderr)
    sys.exit(2)


def blocks(lines):
    name, body = None, []
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("### "):
            if name:
                yield name, body
            name, body = line[4:].strip(), []
        elif name:
            body.append(line)
    if name:
        yield name, body


def compare(body):
    """(seed's DPOK run, DPOK reward, Fréchet, KL, DDPO-IS Fréchet, KL, how) or None without a comparison."""
    stops = {}
    for line in body:
        m = STOP.match(line)
        if m:
            stops[m.group(2)] = (m.group(1).strip(), float(m.group(3)), float(m.group(4)), float(m.group(5)))
    for line in body:
        m = EQUAL.match(line)
        if not m:
            continue
        run, reward, frechet = m.group(2), float(m.group(1)), float(m.group(3))
        kl = stops[run][3]
        at = m.group(4)
        a = AT.match(at)
        if a:
            return run, reward, frechet, kl, float(a.group(1)), float(a.group(2)), "interpolated"
        if "above every stop" in at:
            best = max((s for s in stops.values() if s[0] == "DDPO-IS"), key=lambda s: s[1])
            return run, reward, frechet, kl, best[2], best[3], f"best stop ({best[1]:.3f})"
        return run, reward, frechet, kl, None, None, "below every stop: no comparison"
    fail("a plot without an equal-reward line against DDPO-IS")


def sign_test(wins, losses, one_sided):
    """P(at most min(wins, losses) wins of n fair coins), doubled when two-sided; one-sided: P(≥ wins)."""
    n = wins + losses
    if one_sided:
        return sum(math.comb(n, i) for i in range(wins, n + 1)) / 2 ** n
    k = min(wins, losses)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def wilcoxon(diffs, one_sided):
    """(W+, p) for the differences; one-sided alternative: they tend below zero (W+ small).

    Exact at any n: ranks, doubled so that averaged ties stay integers, give the null distribution of
    the doubled W+ as a subset-sum count (each rank in W+ or not with probability 1/2)."""
    d = [x for x in diffs if x != 0]
    n = len(d)
    order = sorted(range(n), key=lambda i: abs(d[i]))
    twice = [0] * n
    i = 0
    while i < n:                       # average ranks over ties in |d|
        j = i
        while j + 1 < n and abs(d[order[j + 1]]) == abs(d[order[i]]):
            j += 1
        for t in range(i, j + 1):
            twice[order[t]] = i + j + 2
        i = j + 1
    w2 = sum(r for r, x in zip(twice, d) if x > 0)
    total2 = sum(twice)
    ways = [1] + [0] * total2          # ways[s]: sign patterns whose doubled W+ is s
    for r in twice:
        for s in range(total2, r - 1, -1):
            ways[s] += ways[s - r]
    at_most = lambda w: sum(ways[:w + 1]) / 2 ** n
    p = at_most(w2) if one_sided else min(1.0, 2 * at_most(min(w2, total2 - w2)))
    return w2 / 2, p


def seed_range(text):
    m = re.fullmatch(r"(\d+)-(\d+)", text)
    if not m or int(m.group(1)) > int(m.group(2)):
        raise argparse.ArgumentTypeError(f"expected A-B with A <= B, e.g. 11-22, not {text!r}")
    return int(m.group(1)), int(m.group(2))


def main(argv):
    ap = argparse.ArgumentParser(prog="rl_seed_test.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("prefix", nargs="+", help="plot name before the seed number, e.g. g1-preference-vx-s")
    ap.add_argument("--seeds", type=seed_range, help="keep seeds A-B only, e.g. 11-22")
    ap.add_argument("--one-sided", action="store_true", help='alternative "DPOK lower" only')
    args = ap.parse_args(argv)
    pats = [(p, re.compile(re.escape(p) + r"(\d+)$")) for p in args.prefix]
    rows = []
    for name, body in blocks(sys.stdin):
        for prefix, pat in pats:
            m = pat.match(name)
            if m and (not args.seeds or args.seeds[0] <= int(m.group(1)) <= args.seeds[1]):
                rows.append((prefix, int(m.group(1)), compare(body)))
    if not rows:
        fail(f"no plot named {' or '.join(p + '<seed>' for p in args.prefix)} on stdin"
             + (f" with a seed in {args.seeds[0]}-{args.seeds[1]}" if args.seeds else ""))
    rows.sort(key=lambda r: r[:2])            # by prefix, then seed
    print("seed | DPOK run | reward | DPOK Fréchet · KL | DDPO-IS at that reward: Fréchet · KL | DPOK − DDPO-IS Fréchet")
    fd, kl = [], []
    for _, seed, (run, reward, f, k, g, gk, how) in rows:
        if g is None:
            print(f"{seed} | {run} | {reward:.3f} | {f:.1f} · {k:.0f} | {how} | –")
            continue
        print(f"{seed} | {run} | {reward:.3f} | {f:.1f} · {k:.0f} | {g:.1f} · {gk:.0f} ({how}) | {f - g:+.1f}")
        fd.append(f - g)
        kl.append(k - gk)
    if not fd:
        fail("no seed has a comparison (DPOK's reward lay below every DDPO-IS stop in each)")
    sides = "one-sided, DPOK lower" if args.one_sided else "two-sided"
    for what, d in (("Fréchet", fd), ("KL proxy", kl)):
        lower, higher = sum(x < 0 for x in d), sum(x > 0 for x in d)
        w, p = wilcoxon(d, args.one_sided)
        print(f"{what}: DPOK lower in {lower} of {len(d)} comparisons (sign test p = {sign_test(lower, higher, args.one_sided):.3g}); "
              f"mean difference {sum(d) / len(d):+.2f}; Wilcoxon signed-rank ({sides}, exact) W+ = {w:g}, p = {p:.3g}")


if __name__ == "__main__":
    main(sys.argv[1:])
