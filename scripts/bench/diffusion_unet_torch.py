# The genai4j text-conditioned UNet (models/.../diffusion/UNet.java, diffusers UNet2DConditionModel
# layout) rebuilt in PyTorch, timed the way bench/.../DiffusionBench.java times ours:
#   sampling: images/s of a 20-step classifier-free-guided sampler (each step one no-grad UNet
#             forward over the 2B conditional + unconditional batch), batch B = 16
#   training: optimizer steps/s of loss = MSE(ε̂, ε) at batch 16, backward, clip, AdamW
# It prints the parameter count, which must equal ours (same architecture, same shapes).
# Run: /usr/bin/python3 scripts/bench/diffusion_unet_torch.py --threads 1 [--config fashion|wide]
import argparse, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {   # channels, attention per level, layers_per_block, head_dim, groups
    "fashion": ([16, 32, 64], [False, False, True], 1, 32, 8),
    "wide": ([32, 64, 64], [False, True, True], 1, 32, 8),
}

class Resnet(nn.Module):
    def __init__(s, cin, cout, temb, groups):
        super().__init__()
        s.norm1 = nn.GroupNorm(groups, cin, 1e-5); s.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        s.time_emb_proj = nn.Linear(temb, cout)
        s.norm2 = nn.GroupNorm(groups, cout, 1e-5); s.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        s.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None
    def forward(s, x, t):
        h = s.conv1(F.silu(s.norm1(x))) + s.time_emb_proj(t)[:, :, None, None]
        h = s.conv2(F.silu(s.norm2(h)))
        return (x if s.conv_shortcut is None else s.conv_shortcut(x)) + h

class Attn(nn.Module):
    def __init__(s, c, ctx, hd):
        super().__init__()
        s.hd, s.heads = hd, c // hd
        s.to_q = nn.Linear(c, c, bias=False); s.to_k = nn.Linear(ctx, c, bias=False); s.to_v = nn.Linear(ctx, c, bias=False)
        s.to_out = nn.ModuleList([nn.Linear(c, c)])
    def forward(s, x, ctx):
        b, t, _ = x.shape; l = ctx.shape[1]
        q = s.to_q(x).view(b, t, s.heads, s.hd).transpose(1, 2)
        k = s.to_k(ctx).view(b, l, s.heads, s.hd).transpose(1, 2)
        v = s.to_v(ctx).view(b, l, s.heads, s.hd).transpose(1, 2)
        p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(s.hd), -1)   # torch 1.13 has no fused SDPA
        return s.to_out[0]((p @ v).transpose(1, 2).reshape(b, t, -1))

class Transformer2D(nn.Module):
    def __init__(s, c, ctx, hd, groups):
        super().__init__()
        s.norm = nn.GroupNorm(groups, c, 1e-6); s.proj_in = nn.Linear(c, c)
        s.norm1 = nn.LayerNorm(c); s.attn1 = Attn(c, c, hd); s.norm2 = nn.LayerNorm(c); s.attn2 = Attn(c, ctx, hd)
        s.norm3 = nn.LayerNorm(c); s.ff_in = nn.Linear(c, 8 * c); s.ff_out = nn.Linear(4 * c, c); s.proj_out = nn.Linear(c, c)
    def forward(s, x, text):
        b, c, h, w = x.shape
        t = s.proj_in(s.norm(x).reshape(b, c, h * w).transpose(1, 2))
        n1 = s.norm1(t); t = t + s.attn1(n1, n1)
        t = t + s.attn2(s.norm2(t), text)
        v, g = s.ff_in(s.norm3(t)).chunk(2, -1)
        t = t + s.ff_out(v * F.gelu(g))
        return s.proj_out(t).transpose(1, 2).reshape(b, c, h, w) + x

class UNet(nn.Module):
    def __init__(s, ch, att, lpb, hd, groups, cin=1, ctx=384):
        super().__init__()
        c0, temb = ch[0], 4 * ch[0]
        s.c0 = c0
        s.conv_in = nn.Conv2d(cin, c0, 3, padding=1)
        s.linear_1 = nn.Linear(c0, temb); s.linear_2 = nn.Linear(temb, temb)
        s.down = nn.ModuleList(); skips = [c0]; prev = c0
        for l, c in enumerate(ch):
            blk = nn.Module(); blk.res = nn.ModuleList(); blk.att = nn.ModuleList()
            for j in range(lpb):
                blk.res.append(Resnet(prev if j == 0 else c, c, temb, groups))
                if att[l]: blk.att.append(Transformer2D(c, ctx, hd, groups))
                skips.append(c)
            blk.down = nn.Conv2d(c, c, 3, stride=2, padding=1) if l < len(ch) - 1 else None
            if blk.down is not None: skips.append(c)
            s.down.append(blk); prev = c
        m = ch[-1]
        s.mid = nn.ModuleList([Resnet(m, m, temb, groups), Transformer2D(m, ctx, hd, groups), Resnet(m, m, temb, groups)])
        s.up = nn.ModuleList()
        for i in range(len(ch)):
            l = len(ch) - 1 - i; c = ch[l]
            blk = nn.Module(); blk.res = nn.ModuleList(); blk.att = nn.ModuleList()
            for j in range(lpb + 1):
                blk.res.append(Resnet((prev if j == 0 else c) + skips.pop(), c, temb, groups))
                if att[l]: blk.att.append(Transformer2D(c, ctx, hd, groups))
            blk.up = nn.Conv2d(c, c, 3, padding=1) if l > 0 else None
            s.up.append(blk); prev = c
        s.conv_norm_out = nn.GroupNorm(groups, c0, 1e-5); s.conv_out = nn.Conv2d(c0, cin, 3, padding=1)

    def temb(s, t):
        half = s.c0 // 2
        freq = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        a = t[:, None].float() * freq[None]
        return torch.cat([torch.cos(a), torch.sin(a)], -1)

    def forward(s, x, t, text):
        e = F.silu(s.linear_2(F.silu(s.linear_1(s.temb(t)))))
        h = s.conv_in(x); hs = [h]
        for blk in s.down:
            for j, r in enumerate(blk.res):
                h = r(h, e)
                if len(blk.att): h = blk.att[j](h, text)
                hs.append(h)
            if blk.down is not None: h = blk.down(h); hs.append(h)
        h = s.mid[2](s.mid[1](s.mid[0](h, e), text), e)
        for blk in s.up:
            for j, r in enumerate(blk.res):
                h = r(torch.cat([h, hs.pop()], 1), e)
                if len(blk.att): h = blk.att[j](h, text)
            if blk.up is not None: h = blk.up(F.interpolate(h, scale_factor=2, mode="nearest"))
        return s.conv_out(F.silu(s.conv_norm_out(h)))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1); ap.add_argument("--config", default="fashion")
    ap.add_argument("--batch", type=int, default=16); ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--iters", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=10)   # untimed runs of each part first (ours: the JIT's)
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    net = UNet(*CONFIGS[a.config])
    n = sum(p.numel() for p in net.parameters())
    B = a.batch
    x = torch.randn(B, 1, 32, 32); text = torch.randn(B, 16, 384); t = torch.randint(0, 1000, (B,))
    x2, text2, t2 = torch.cat([x, x]), torch.cat([torch.zeros_like(text), text]), torch.cat([t, t])
    # best of N, in wall time and in this process's CPU time (the machine is shared: CPU time is the
    # fairer measure at one thread; both sides report both)
    def timed(fn):
        wall, cpu = 1e9, 1e9
        for _ in range(a.iters):
            w0, c0 = time.perf_counter(), time.process_time(); fn()
            wall, cpu = min(wall, time.perf_counter() - w0), min(cpu, time.process_time() - c0)
        return wall, cpu
    with torch.no_grad():
        for _ in range(a.warmup): net(x2, t2, text2)
        fwd_wall, fwd_cpu = timed(lambda: net(x2, t2, text2))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-4)
    def train_step():
        eps = torch.randn_like(x)
        loss = F.mse_loss(net(x + eps, t, text), eps)
        loss.backward(); torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0); opt.step(); opt.zero_grad()
    for _ in range(a.warmup): train_step()
    tr_wall, tr_cpu = timed(train_step)
    print("diffusion side=torch config=%s threads=%d params=%d batch=%d steps=%d warmup=%d iters=%d sample_images_s=%.3f sample_images_cpu_s=%.3f "
          "train_steps_s=%.3f train_steps_cpu_s=%.3f forward_2B_ms=%.1f train_step_ms=%.1f"
          % (a.config, a.threads, n, B, a.steps, a.warmup, a.iters, B / (fwd_wall * a.steps), B / (fwd_cpu * a.steps), 1 / tr_wall, 1 / tr_cpu,
             fwd_wall * 1e3, tr_wall * 1e3))

if __name__ == "__main__":
    main()
