#!/usr/bin/python3
"""A tiny CLIP in OpenAI's original layout (mirrors github.com/openai/CLIP clip/model.py: VisionTransformer,
Transformer of ResidualAttentionBlocks on nn.MultiheadAttention, QuickGELU, x @ proj, text pooled at argmax),
random weights, saved with OpenAI's state-dict names, plus its outputs on fixed inputs.

    /usr/bin/python3 scripts/reference/clip_openai_reference.py models/src/test/resources/clip/openai

Writes model.safetensors (OpenAI names), config.json (HF CLIPConfig with the same sizes, eos_token_id 2 =
argmax pooling as OpenAI), inputs.json and expected.safetensors (image_embeds, text_embeds, logits_per_image).
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import torch
from torch import nn

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(31337)

W, LAYERS, HEADS, MLP, EMBED = 64, 2, 4, 128, 32
IMG, PATCH, VOCAB, CTX = 32, 8, 100, 16


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, h, mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h)
        self.ln_1 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(OrderedDict([("c_fc", nn.Linear(d, MLP)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(MLP, d))]))
        self.ln_2 = nn.LayerNorm(d)
        self.attn_mask = mask

    def forward(self, x):
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=self.attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(W, HEADS, mask) for _ in range(LAYERS)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        scale = W ** -0.5
        self.conv1 = nn.Conv2d(3, W, kernel_size=PATCH, stride=PATCH, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(W))
        self.positional_embedding = nn.Parameter(scale * torch.randn((IMG // PATCH) ** 2 + 1, W))
        self.ln_pre = nn.LayerNorm(W)
        self.transformer = Transformer()
        self.ln_post = nn.LayerNorm(W)
        self.proj = nn.Parameter(scale * torch.randn(W, EMBED))

    def forward(self, x):
        x = self.conv1(x).reshape(x.shape[0], W, -1).permute(0, 2, 1)
        cls = self.class_embedding + torch.zeros(x.shape[0], 1, W)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).permute(1, 0, 2)
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class CLIP(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = VisionTransformer()
        mask = torch.empty(CTX, CTX).fill_(float("-inf")).triu_(1)
        self.transformer = Transformer(mask)
        self.token_embedding = nn.Embedding(VOCAB, W)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(CTX, W))
        self.ln_final = nn.LayerNorm(W)
        self.text_projection = nn.Parameter(W ** -0.5 * torch.randn(W, EMBED))
        self.logit_scale = nn.Parameter(torch.tensor(2.6592))
        with torch.no_grad():   # non-trivial norms and biases so that every mapped tensor matters
            for m in self.modules():
                if isinstance(m, nn.LayerNorm):
                    m.weight.add_(0.1 * torch.randn_like(m.weight)); m.bias.add_(0.1 * torch.randn_like(m.bias))
                if isinstance(m, nn.MultiheadAttention):
                    m.in_proj_bias.normal_(0, 0.1); m.out_proj.bias.normal_(0, 0.1)

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection


model = CLIP().eval()
pixels = torch.randn(2, 3, IMG, IMG)
text = torch.randint(3, VOCAB - 1, (3, CTX))
for row, end in enumerate([CTX - 1, 6, 10]):
    text[row, 0] = 1
    text[row, end] = VOCAB - 1          # end of text: the largest id
    text[row, end + 1:] = 0
with torch.no_grad():
    img = model.visual(pixels)
    txt = model.encode_text(text)
    img = img / img.norm(dim=-1, keepdim=True)
    txt = txt / txt.norm(dim=-1, keepdim=True)
    logits = model.logit_scale.exp() * img @ txt.t()


def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for k, t in tensors.items():
        a = t.detach().contiguous().to(torch.float32).numpy()
        header[k] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes()); offset += a.nbytes
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(hb))); fh.write(hb)
        for b in blobs:
            fh.write(b)


save(os.path.join(out, "model.safetensors"), model.state_dict())
save(os.path.join(out, "expected.safetensors"), {"image_embeds": img, "text_embeds": txt, "logits_per_image": logits})
json.dump({"pixel_values": pixels.tolist(), "input_ids": text.tolist()}, open(os.path.join(out, "inputs.json"), "w"))
common = {"hidden_size": W, "intermediate_size": MLP, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
          "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5}
json.dump({"model_type": "clip", "projection_dim": EMBED, "logit_scale_init_value": 2.6592,
           "text_config": dict(common, vocab_size=VOCAB, max_position_embeddings=CTX, eos_token_id=2, bos_token_id=1, pad_token_id=0),
           "vision_config": dict(common, image_size=IMG, patch_size=PATCH, num_channels=3)},
          open(os.path.join(out, "config.json"), "w"), indent=2)
print("torch", torch.__version__, "keys", len(model.state_dict()))
