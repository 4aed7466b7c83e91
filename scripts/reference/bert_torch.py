"""BERT encoder (HF modeling_bert.py BertModel, absolute positions, eval) in plain torch, from a state dict.

Validated against the BERT output stored with the GLiNER reference case:
    /usr/bin/python3 scripts/reference/bert_torch.py models/src/test/resources/fixtures/gliner/bert_lstm_markerV0_fp32
"""
import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
import st_io  # noqa: E402


def forward(sd, cfg, input_ids, attention_mask, prefix=""):
    """input_ids, attention_mask [B, T] -> last_hidden_state [B, T, H]."""
    def p(name):
        return sd[prefix + name].float()

    eps = cfg.get("layer_norm_eps", 1e-12)
    h = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    d = h // heads
    b, t = input_ids.shape
    x = F.embedding(input_ids, p("embeddings.word_embeddings.weight")) + p("embeddings.position_embeddings.weight")[:t] \
        + p("embeddings.token_type_embeddings.weight")[0]
    x = F.layer_norm(x, (h,), p("embeddings.LayerNorm.weight"), p("embeddings.LayerNorm.bias"), eps)
    bias = (1.0 - attention_mask.float())[:, None, None, :] * torch.finfo(torch.float32).min
    for i in range(cfg["num_hidden_layers"]):
        L = f"encoder.layer.{i}."

        def lin(name, v):
            return F.linear(v, p(L + name + ".weight"), p(L + name + ".bias"))

        q, k, v = [lin("attention.self." + n, x).view(b, t, heads, d).transpose(1, 2) for n in ("query", "key", "value")]
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, -1) @ v
        a = a.transpose(1, 2).reshape(b, t, h)
        x = F.layer_norm(lin("attention.output.dense", a) + x, (h,), p(L + "attention.output.LayerNorm.weight"), p(L + "attention.output.LayerNorm.bias"), eps)
        m = lin("output.dense", F.gelu(lin("intermediate.dense", x)))
        x = F.layer_norm(m + x, (h,), p(L + "output.LayerNorm.weight"), p(L + "output.LayerNorm.bias"), eps)
    return x


def check_case(folder):
    folder = Path(folder)
    cfg = json.loads((folder / "gliner_config.json").read_text())["encoder_config"]
    sd = st_io.load(folder / "model.safetensors")
    inp = json.loads((folder / "inputs.json").read_text())
    exp = st_io.load(folder / "intermediates.safetensors")["encoder_last_hidden_state"]
    with torch.no_grad():
        got = forward(sd, cfg, torch.tensor(inp["input_ids"]), torch.tensor(inp["attention_mask"]), prefix="token_rep_layer.bert_layer.model.")
    ok = ~torch.isnan(exp)
    diff = (got[ok] - exp[ok]).abs().max().item()
    print(f"{folder.name}: max |diff| BERT last_hidden_state = {diff:.3e}")
    return diff


if __name__ == "__main__":
    sys.exit(0 if max(check_case(f) for f in sys.argv[1:]) < 1e-4 else 1)
