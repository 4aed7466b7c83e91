"""ModernBERT encoder (HF modeling_modernbert.py, eager attention) in plain torch, from a state dict.

Validated against the committed ModernBERT fixtures:
    /usr/bin/python3 scripts/reference/modernbert_torch.py models/src/test/resources/fixtures/modernbert/classic_fp32
"""
import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
import st_io  # noqa: E402


def layer_types(cfg):
    n = cfg["num_hidden_layers"]
    if "layer_types" in cfg and cfg["layer_types"]:
        return ["global" if t == "full_attention" else "local" for t in cfg["layer_types"]]
    every = cfg.get("global_attn_every_n_layers", 3)
    return ["global" if i % every == 0 else "local" for i in range(n)]


def rope_thetas(cfg):
    g = cfg.get("global_rope_theta", 160000.0)
    l = cfg.get("local_rope_theta", 10000.0)
    if "local_rope_theta" in cfg and cfg["local_rope_theta"] is None:
        l = g
    rp = cfg.get("rope_parameters")
    if rp:
        g = rp.get("full_attention", {}).get("rope_theta", g)
        l = rp.get("sliding_attention", {}).get("rope_theta", l)
    return {"global": g, "local": l}


def layer_norm(x, w, b, eps):
    return F.layer_norm(x, (x.shape[-1],), w, b, eps)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def forward(sd, cfg, input_ids, attention_mask, prefix=""):
    """input_ids, attention_mask [B, T] -> last_hidden_state [B, T, H] (fp32, eager semantics)."""
    def p(name):
        return sd[prefix + name].float()

    def pb(name):
        return sd[prefix + name].float() if (prefix + name) in sd else None

    eps = cfg.get("norm_eps", 1e-5)
    h_dim = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    d = h_dim // heads
    b, t = input_ids.shape
    window = cfg.get("local_attention", 128) // 2
    types = layer_types(cfg)
    thetas = rope_thetas(cfg)
    pos = torch.arange(t, dtype=torch.float32)
    rope = {}
    for kind, theta in thetas.items():
        inv = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
        freqs = torch.outer(pos, inv)
        emb = torch.cat((freqs, freqs), dim=-1)
        rope[kind] = (emb.cos(), emb.sin())
    pad = (1.0 - attention_mask.float())[:, None, None, :] * torch.finfo(torch.float32).min   # [B, 1, 1, T]
    idx = torch.arange(t)
    far = (idx[None, :] - idx[:, None]).abs() > window
    local = pad.masked_fill(far[None, None], torch.finfo(torch.float32).min)

    x = F.embedding(input_ids, p("embeddings.tok_embeddings.weight"))
    x = layer_norm(x, p("embeddings.norm.weight"), pb("embeddings.norm.bias"), eps)
    for i, kind in enumerate(types):
        L = f"layers.{i}."
        hn = layer_norm(x, p(L + "attn_norm.weight"), pb(L + "attn_norm.bias"), eps) if (prefix + L + "attn_norm.weight") in sd else x
        qkv = F.linear(hn, p(L + "attn.Wqkv.weight"), pb(L + "attn.Wqkv.bias"))           # [B, T, 3H]
        qkv = qkv.view(b, t, 3, heads, d)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)                                      # [B, heads, T, d]
        cos, sin = rope[kind]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        s = q @ k.transpose(-1, -2) / math.sqrt(d) + (local if kind == "local" else pad)
        a = torch.softmax(s.float(), dim=-1) @ v                                            # [B, heads, T, d]
        a = a.transpose(1, 2).reshape(b, t, h_dim)
        x = x + F.linear(a, p(L + "attn.Wo.weight"), pb(L + "attn.Wo.bias"))
        hn = layer_norm(x, p(L + "mlp_norm.weight"), pb(L + "mlp_norm.bias"), eps)
        inp, gate = F.linear(hn, p(L + "mlp.Wi.weight"), pb(L + "mlp.Wi.bias")).chunk(2, dim=-1)
        act = cfg.get("hidden_activation", "gelu")
        if act == "gelu":
            g = F.gelu(inp)
        elif act in ("gelu_new", "gelu_pytorch_tanh"):
            g = F.gelu(inp, approximate="tanh")
        else:
            raise ValueError("activation " + act)
        x = x + F.linear(g * gate, p(L + "mlp.Wo.weight"), pb(L + "mlp.Wo.bias"))
    return layer_norm(x, p("final_norm.weight"), pb("final_norm.bias"), eps)


def check_fixture(folder):
    folder = Path(folder)
    cfg = json.loads((folder / "config.json").read_text())
    sd = st_io.load(folder / "model.safetensors")
    inp = json.loads((folder / "inputs.json").read_text())
    ids = torch.tensor(inp["input_ids"])
    mask = torch.tensor(inp["attention_mask"])
    exp = st_io.load(folder / "expected.safetensors")["last_hidden_state"]
    with torch.no_grad():
        got = forward(sd, cfg, ids, mask, prefix="model.")
    ok = ~torch.isnan(exp)
    diff = (got[ok] - exp[ok]).abs().max().item()
    print(f"{folder.name}: max |diff| last_hidden_state = {diff:.3e}")
    return diff


if __name__ == "__main__":
    worst = max(check_fixture(f) for f in sys.argv[1:])
    sys.exit(0 if worst < 1e-4 else 1)
