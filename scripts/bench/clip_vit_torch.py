#!/usr/bin/python3
"""ViT-B/32-shaped CLIP image tower in plain PyTorch (same architecture as genai4j's
ClipVisionTransformer: patch conv without bias, class token, positions, pre_layrnorm, 12 pre-LN
blocks with QuickGELU, post_layernorm on the class token, projection 768 -> 512), random init,
eval mode, torch.inference_mode(). Prints the line format of `genai4j bench clip-vit`.

usage: /usr/bin/python3 scripts/bench/clip_vit_torch.py --threads 1,2 --batches 1,32 --reps 3
"""
import argparse
import time

import torch
import torch.nn as nn


class QuickGelu(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    def __init__(self, d, heads, mlp):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d, eps=1e-5)
        self.mlp = nn.Sequential(nn.Linear(d, mlp), QuickGelu(), nn.Linear(mlp, d))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class VisionTower(nn.Module):
    def __init__(self, d=768, layers=12, heads=12, mlp=3072, patch=32, size=224, proj=512):
        super().__init__()
        g = size // patch
        self.patch = nn.Conv2d(3, d, patch, patch, bias=False)
        self.cls = nn.Parameter(torch.randn(d) * d ** -0.5)
        self.pos = nn.Parameter(torch.randn(g * g + 1, d) * 0.02)
        self.pre = nn.LayerNorm(d, eps=1e-5)
        self.blocks = nn.ModuleList([Block(d, heads, mlp) for _ in range(layers)])
        self.post = nn.LayerNorm(d, eps=1e-5)
        self.proj = nn.Linear(d, proj, bias=False)

    def forward(self, px):
        x = self.patch(px).flatten(2).transpose(1, 2)                       # [B, G², D]
        x = torch.cat([self.cls.expand(x.shape[0], 1, -1), x], 1) + self.pos
        x = self.pre(x)
        for b in self.blocks:
            x = b(x)
        return self.proj(self.post(x[:, 0]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batches", default="1,32")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    torch.manual_seed(0)
    m = VisionTower().eval()
    for b in [int(v) for v in a.batches.split(",")]:
        px = torch.randn(b, 3, 224, 224)
        for t in [int(v) for v in a.threads.split(",")]:
            torch.set_num_threads(t)
            best = float("inf")
            with torch.inference_mode():
                for r in range(a.reps + 1):
                    t0 = time.perf_counter()
                    m(px)
                    s = time.perf_counter() - t0
                    if r > 0:
                        best = min(best, s)
            print(f"clipvit impl=torch batch={b} threads={t} img_s={b / best:.2f} ms_per_batch={best * 1e3:.1f}", flush=True)


if __name__ == "__main__":
    main()
