#!/usr/bin/python3
"""Makes the PyTorch checkpoints that test genai4j's restricted unpickler (dev.genai4j.io.TorchCheckpointFile).

Run from the repository root with Debian's torch (python3-torch 1.13; not the pyenv python):

    /usr/bin/python3 scripts/reference/make_torch_checkpoints.py

Writes
  core/src/test/resources/fixtures/torch/views.pt
      torch.save({"model": state_dict, "epoch": 3, ...}) whose state dict holds a transposed
      (non-contiguous) tensor, tensors sharing one storage at offsets, a column slice, a stride-0
      expanded tensor, an nn.Parameter, a 0-d and an empty tensor, and every dtype genai4j reads
      (f32, f16, bf16, f64, i64, i32, i16, i8, u8, bool); the state dict carries _metadata (BUILD).
  core/src/test/resources/fixtures/torch/views_expected.safetensors
      the same tensors made contiguous (f64 -> f32, i16 -> i32, as genai4j converts them).
  models/src/test/resources/fixtures/gliner_torch/bert_lstm_markerV0_fp32.without_word_embeddings.bin
      torch.save of the state dict of models/src/test/resources/fixtures/gliner/bert_lstm_markerV0_fp32/model.safetensors,
      re-zipped (stored) without the one storage entry of the 3.9 MB word-embedding matrix so the
      committed file stays small; without_word_embeddings.json names that entry. The test puts the
      matrix's bytes (from model.safetensors) back as that entry in a temporary copy.
"""
import collections
import json
import os
import struct
import tempfile
import zipfile

import torch

ROOT = os.getcwd()
CORE_OUT = os.path.join(ROOT, "core/src/test/resources/fixtures/torch")
GLINER_IN = os.path.join(ROOT, "models/src/test/resources/fixtures/gliner/bert_lstm_markerV0_fp32/model.safetensors")
GLINER_OUT = os.path.join(ROOT, "models/src/test/resources/fixtures/gliner_torch")

ST_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
             "I32": torch.int32, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
ST_NAMES = {v: k for k, v in ST_DTYPES.items()}


def read_safetensors(path):
    """name -> tensor, in header order (no safetensors package on Debian)."""
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = collections.OrderedDict()
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        raw = bytearray(data[8 + n + b: 8 + n + end])
        dtype = ST_DTYPES[e["dtype"]]
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(e["shape"]).clone()
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.uint8).numpy().tobytes() if t.numel() and t.dim() else t.reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": ST_NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def views_state_dict():
    g = torch.Generator().manual_seed(20261128)
    sd = collections.OrderedDict()
    base = torch.randn(3, 5, generator=g)
    sd["transposed"] = base.t()                                   # [5, 3], strides (1, 5)
    shared = torch.arange(24, dtype=torch.float32) * 0.5 - 3
    sd["shared.a"] = shared[:12].view(3, 4)                        # offset 0
    sd["shared.b"] = shared[12:].view(4, 3)                        # offset 12, same storage
    sd["shared.col"] = shared.view(4, 6)[:, 1:3]                   # offset 1, strides (6, 1)
    sd["shared.every_other"] = shared[1::2]                        # offset 1, stride 2
    sd["expanded"] = torch.tensor([[1.5, -2.0, 4.0]]).expand(4, 3)   # strides (0, 1)
    sd["param"] = torch.nn.Parameter(torch.randn(2, 3, generator=g))
    sd["scalar"] = torch.tensor(7.25)
    sd["empty"] = torch.zeros(0, 3)
    sd["f16"] = torch.randn(2, 4, generator=g).half()
    sd["bf16"] = torch.randn(3, 2, generator=g).bfloat16()
    sd["f64"] = torch.randn(2, 2, generator=g, dtype=torch.float64)
    sd["f64_transposed"] = torch.randn(2, 3, generator=g, dtype=torch.float64).t()
    sd["i64"] = torch.tensor([2 ** 40 + 3, -7, 0, 123456789], dtype=torch.int64)
    sd["i32"] = torch.tensor([[1, -2], [3, 2 ** 30]], dtype=torch.int32)
    sd["i16"] = torch.tensor([-300, 5, 32767], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 0, 127], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["block.0.weight"] = torch.randn(4, 2, generator=g)
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("block.0", {"version": 2})])
    return sd


def expected_of(sd):
    out = collections.OrderedDict()
    for k, v in sd.items():
        v = v.detach().contiguous().clone()
        if v.dtype == torch.float64:
            v = v.float()
        if v.dtype == torch.int16:
            v = v.int()
        out[k] = v
    return out


def main():
    os.makedirs(CORE_OUT, exist_ok=True)
    sd = views_state_dict()
    assert not sd["transposed"].is_contiguous() and sd["shared.b"].storage_offset() == 12
    checkpoint = {"model": sd, "epoch": 3, "lr": 0.5, "note": "made by make_torch_checkpoints.py",
                  "blob": b"\x00\xffbytes", "flags": [True, False, None], "sizes": (1, 2 ** 40, -5)}
    torch.save(checkpoint, os.path.join(CORE_OUT, "views.pt"))
    write_safetensors(os.path.join(CORE_OUT, "views_expected.safetensors"), expected_of(sd))
    back = torch.load(os.path.join(CORE_OUT, "views.pt"))
    for k, v in sd.items():
        assert torch.equal(back["model"][k], v), k

    os.makedirs(GLINER_OUT, exist_ok=True)
    gliner = read_safetensors(GLINER_IN)
    dropped_name = "token_rep_layer.bert_layer.model.embeddings.word_embeddings.weight"
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "pytorch_model.bin")
        torch.save(gliner, full)
        loaded = torch.load(full)
        assert list(loaded) == list(gliner) and all(torch.equal(loaded[k], gliner[k]) for k in gliner)
        want = gliner[dropped_name].numpy().tobytes()
        with zipfile.ZipFile(full) as z:
            infos = z.infolist()
            dropped = [i.filename for i in infos if i.filename.split("/")[-2:-1] == ["data"] and z.read(i) == want]
            assert len(dropped) == 1, dropped
            out = os.path.join(GLINER_OUT, "bert_lstm_markerV0_fp32.without_word_embeddings.bin")
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as w:
                for i in infos:
                    if i.filename != dropped[0]:
                        w.writestr(i, z.read(i))
    with open(os.path.join(GLINER_OUT, "bert_lstm_markerV0_fp32.without_word_embeddings.json"), "w") as f:
        json.dump({"dropped_entry": dropped[0], "tensor": dropped_name, "source": "fixtures/gliner/bert_lstm_markerV0_fp32/model.safetensors",
                   "torch": torch.__version__}, f, indent=2)
        f.write("\n")
    print("wrote views.pt, views_expected.safetensors and the GLiNER checkpoint without", dropped[0])


if __name__ == "__main__":
    main()
