# Trains the bench's PyTorch replica of our UNet (scripts/bench/diffusion_unet_torch.py) with
# `genai4j train diffusion`'s recipe — ε-MSE at uniform t, linear β 1e-4..0.02 (T 1000), AdamW
# (0.9, 0.999, eps 1e-8, no weight decay), linear warmup then cosine to 5 % of the peak, global
# gradient clip 1.0, diffusers' EMA ((1+k)/(10+k) capped at 0.999), condition dropped for 10 % of
# images as all-zero text states, one horizontal flip per batch — on DumpTrainingData's files, and
# writes the EMA weights as a model folder (our names and config) that `genai4j txt2img/eval
# diffusion --model` draw from. What it is for: telling a property of the recipe from a bug of ours.
# Run: /usr/bin/python3 scripts/diffusion/torch_replica/train_torch.py DATA_DIR STEPS BATCH LR WARMUP THREADS OUT_DIR
import math
import os
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [here, os.path.join(here, '..', '..', 'bench')]
from diffusers_names import save                       # noqa: E402
from diffusion_unet_torch import UNet, CONFIGS         # noqa: E402

data_dir, out = sys.argv[1], sys.argv[7]
steps, batch, lr, warmup, threads = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
torch.set_num_threads(threads)
torch.manual_seed(0)
rng = np.random.default_rng(0)
raw = np.fromfile(os.path.join(data_dir, 'train.u8'), dtype=np.uint8).reshape(-1, 785)
labels = raw[:, 0].astype(np.int64)
images = raw[:, 1:].reshape(-1, 28, 28).astype(np.float32) / 127.5 - 1
images = torch.from_numpy(np.pad(images, ((0, 0), (2, 2), (2, 2)), constant_values=-1.0)[:, None])   # [N, 1, 32, 32]
text = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'text.f32'), dtype=np.float32).reshape(80, 16, 384))
alpha_bar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64), 0).float()

net = UNet(*CONFIGS['fashion'])
ema = {k: v.detach().clone() for k, v in net.state_dict().items()}
opt = torch.optim.AdamW(net.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)


def lr_at(s):
    if s < warmup:
        return lr * (s + 1) / warmup
    p = (s - warmup) / max(1, steps - warmup)
    return lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * p)))


start, smoothed = time.time(), None
for s in range(steps):
    idx = rng.integers(0, len(images), batch)
    x0 = images[idx]
    if rng.random() < 0.5:
        x0 = x0.flip(3)
    cond = text[rng.integers(0, 8, batch) * 10 + labels[idx]].clone()
    cond[torch.from_numpy(rng.random(batch) < 0.1)] = 0
    t = torch.from_numpy(rng.integers(0, 1000, batch))
    eps = torch.randn_like(x0)
    a = alpha_bar[t][:, None, None, None]
    for g in opt.param_groups:
        g['lr'] = lr_at(s)
    loss = F.mse_loss(net(a.sqrt() * x0 + (1 - a).sqrt() * eps, t, cond), eps)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    opt.step()
    decay = 0.0 if s == 0 else min(0.999, (1 + s) / (10 + s))
    with torch.no_grad():
        for k, v in net.state_dict().items():
            ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
    smoothed = loss.item() if smoothed is None else 0.98 * smoothed + 0.02 * loss.item()
    if (s + 1) % 100 == 0:
        print(f'step {s + 1}/{steps} loss {smoothed:.4f} lr {lr_at(s):.2e} {(s + 1) / (time.time() - start):.2f} steps/s', flush=True)

os.makedirs(out, exist_ok=True)
save(ema, os.path.join(out, 'diffusion_pytorch_model.safetensors'))
shipped = os.path.join(here, '..', '..', '..', 'models', 'src', 'main', 'resources', 'dev', 'genai4j', 'models', 'diffusion', 'default')
for name in ('config.json', 'scheduler_config.json', 'text_encoder.json'):
    shutil.copy(os.path.join(shipped, name), os.path.join(out, name))
print('wrote', out)
