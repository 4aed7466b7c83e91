#!/usr/bin/python3
"""Reference Fréchet distances for FrechetDistanceTest (dev.genai4j.models.diffusion.eval.Metrics).

Two seeded random 8-d feature sets (correlated, so the covariances are full) and their Fréchet
distance computed two independent ways with numpy only:
  (a) tr sqrt(C1 C2) as the sum of square roots of the eigenvalues of the non-symmetric C1·C2
      (numpy.linalg.eig), the route of the FID reference code's sqrtm without scipy;
  (b) sqrt(C1) from numpy.linalg.eigh, then eigh of sqrt(C1)·C2·sqrt(C1).
Covariances are unbiased (np.cov, rowvar=False). Writes
models/src/test/resources/diffusion/frechet_8d.json (the features as float32 values and both results).

Run: /usr/bin/python3 scripts/reference/frechet_reference.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(20240229)
d = 8
mix_a = rng.normal(size=(d, d))
mix_b = rng.normal(size=(d, d)) * 0.7 + np.eye(d)
a = (rng.normal(size=(40, d)) @ mix_a).astype(np.float32)
b = (rng.normal(size=(30, d)) @ mix_b + 0.5).astype(np.float32)

A = a.astype(np.float64)
B = b.astype(np.float64)
mu1, mu2 = A.mean(0), B.mean(0)
c1, c2 = np.cov(A, rowvar=False), np.cov(B, rowvar=False)
mean_term = float(((mu1 - mu2) ** 2).sum())

ev = np.linalg.eig(c1 @ c2)[0]
tr_a = float(np.sqrt(np.clip(ev.real, 0, None)).sum())

w, v = np.linalg.eigh(c1)
s1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
tr_b = float(np.sqrt(np.clip(np.linalg.eigvalsh(s1 @ c2 @ s1), 0, None)).sum())

fd_a = mean_term + np.trace(c1) + np.trace(c2) - 2 * tr_a
fd_b = mean_term + np.trace(c1) + np.trace(c2) - 2 * tr_b
assert abs(fd_a - fd_b) < 1e-8 * max(1.0, abs(fd_a)), (fd_a, fd_b)

out = {
    "note": "scripts/reference/frechet_reference.py; numpy " + np.__version__,
    "a": a.tolist(), "b": b.tolist(),
    "frechet_distance": float(fd_a), "frechet_distance_eigh": float(fd_b),
    "mean_term": mean_term, "trace_c1": float(np.trace(c1)), "trace_c2": float(np.trace(c2)),
    "c1_eigenvalues": [float(x) for x in w],
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "models", "src", "test", "resources", "diffusion", "frechet_8d.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("frechet distance", fd_a, fd_b)
