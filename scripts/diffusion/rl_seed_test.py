#!/usr/bin/env python3
"""Across training seeds: is DPOK's Fréchet distance (and KL proxy) lower than DDPO-IS's at equal reward?

Reads scripts/diffusion/rl_equal_reward.sh's output on stdin (each plot's "### NAME" header followed
by RlFrontier's lines), keeps the plots whose name is PREFIX followed by a seed number (e.g. PREFIX
g1-preference-vx-s keeps g1-preference-vx-s0 … g1-preference-vx-s10), and for each takes DPOK's first
run against the DDPO-IS path at its reward. Where DPOK's reward lies above every DDPO-IS stop, the
best stop stands in (which favours DDPO-IS); below every stop there is no comparison. Prints one row
per seed, then the sign test and the Wilcoxon signed-rank test (two-sided; exact up to 20 seeds, else the
normal approximation) on the differences.

    bash scripts/diffusion/rl_equal_reward.sh /tmp/paths | python3 scripts/diffusion/rl_seed_test.py g1-preference-vx-s
"""
import itertools
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


def sign_test(wins, losses):
    n = wins + losses
    k = min(wins, losses)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def wilcoxon(diffs):
    d = [x for x in diffs if x != 0]
    n = len(d)
    order = sorted(range(n), key=lambda i: abs(d[i]))
    ranks = [0.0] * n
    i = 0
    while i < n:                       # average ranks over ties in |d|
        j = i
        while j + 1 < n and abs(d[order[j + 1]]) == abs(d[order[i]]):
            j += 1
        for t in range(i, j + 1):
            ranks[order[t]] = (i + j) / 2 + 1
        i = j + 1
    w = sum(r for r, x in zip(ranks, d) if x > 0)
    total = sum(ranks)
    extreme = min(w, total - w)
    if n > 20:                         # 2^n sign patterns is too many: the normal approximation
        sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        return w, min(1.0, math.erfc(abs(w - total / 2) / sd / math.sqrt(2)))
    count = sum(1 for signs in itertools.product((0, 1), repeat=n)
                if min(s := sum(r for r, b in zip(ranks, signs) if b), total - s) <= extreme + 1e-9)
    return w, count / 2 ** n


def main(argv):
    if len(argv) != 1:
        fail("give one PREFIX, e.g. g1-preference-vx-s (plots PREFIX0, PREFIX1, …); the plots come on stdin")
    prefix = argv[0]
    pat = re.compile(re.escape(prefix) + r"(\d+)$")
    rows = []
    for name, body in blocks(sys.stdin):
        m = pat.match(name)
        if m:
            rows.append((int(m.group(1)), compare(body)))
    if not rows:
        fail(f"no plot named {prefix}<seed> on stdin")
    rows.sort()
    print("seed | DPOK run | reward | DPOK Fréchet · KL | DDPO-IS at that reward: Fréchet · KL | DPOK − DDPO-IS Fréchet")
    fd, kl = [], []
    for seed, (run, reward, f, k, g, gk, how) in rows:
        if g is None:
            print(f"{seed} | {run} | {reward:.3f} | {f:.1f} · {k:.0f} | {how} | –")
            continue
        print(f"{seed} | {run} | {reward:.3f} | {f:.1f} · {k:.0f} | {g:.1f} · {gk:.0f} ({how}) | {f - g:+.1f}")
        fd.append(f - g)
        kl.append(k - gk)
    for what, d in (("Fréchet", fd), ("KL proxy", kl)):
        lower, higher = sum(x < 0 for x in d), sum(x > 0 for x in d)
        w, p = wilcoxon(d)
        print(f"{what}: DPOK lower in {lower} of {len(d)} seeds (sign test p = {sign_test(lower, higher):.3g}); "
              f"mean difference {sum(d) / len(d):+.2f}; Wilcoxon signed-rank W+ = {w:g}, p = {p:.3g}")


if __name__ == "__main__":
    main(sys.argv[1:])
