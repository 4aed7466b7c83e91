#!/usr/bin/python3
"""Reference outputs of Pillow for genai4j's CLIP image path (models/src/test/resources/clip/pil/).

Run with Debian's python3 (Pillow 9.4.0, the version the shared clip/preprocess fixture used):
    /usr/bin/python3 scripts/reference/clip_pil_reference.py models/src/test/resources/clip/pil

Writes source images (PNG/JPEG in several PIL modes) and pil.safetensors holding, as U8 [H, W, 3]:
  resize_<filter>_<W>x<H>  Image.resize((W, H), filter) of src_rgb.png (reducing_gap=None)
  rgb_<name>               Image.open(<name>).convert("RGB") for each source file
"""
import json
import os
import struct
import sys

import numpy as np
from PIL import Image

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20241128)

# 157 x 97 RGB: smooth gradients plus noise, so every filter tap matters
h, w = 97, 157
yy, xx = np.mgrid[0:h, 0:w]
base = np.stack([xx * 255 / (w - 1), yy * 255 / (h - 1), (xx + yy) % 256], axis=-1)
img = np.clip(base + rng.normal(0, 40, size=base.shape), 0, 255).astype(np.uint8)
src = Image.fromarray(img, "RGB")
src.save(os.path.join(out, "src_rgb.png"))

tensors = {}
filters = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR, "box": Image.BOX, "lanczos": Image.LANCZOS,
           "hamming": Image.HAMMING}
sizes = [(61, 38), (211, 130), (157, 50), (40, 97)]   # down, up, one axis each way
for name, f in filters.items():
    for (tw, th) in sizes + ([(224, 224)] if name == "bicubic" else []):
        tensors["resize_%s_%dx%d" % (name, tw, th)] = np.asarray(src.resize((tw, th), f, reducing_gap=None))

# other modes, each saved as PIL writes it, then reopened and converted as CLIPImageProcessor does
small = src.resize((40, 30), Image.BICUBIC)
modes = {
    "grey.png": small.convert("L"),
    "grey_alpha.png": Image.merge("LA", (small.convert("L"), small.getchannel("B"))),
    "rgba.png": Image.merge("RGBA", (*small.split(), small.convert("L"))),
    "palette.png": small.convert("P", palette=Image.ADAPTIVE, colors=37),
    "palette.gif": small.convert("P", palette=Image.ADAPTIVE, colors=64),
    "rgb.bmp": small,
    "grey16.png": Image.fromarray((np.asarray(small.convert("L")).astype(np.uint16) * 3).astype(np.uint16), "I;16"),
    "photo.jpg": src,
}
for fname, im in modes.items():
    path = os.path.join(out, fname)
    if fname.endswith(".jpg"):
        im.save(path, quality=90)
    else:
        im.save(path)
    tensors["rgb_" + fname] = np.asarray(Image.open(path).convert("RGB"))

# safetensors by hand (the package is not needed): header JSON, then raw little-endian bytes
header, blobs, offset = {}, [], 0
for k in sorted(tensors):
    a = np.ascontiguousarray(tensors[k], dtype=np.uint8)
    header[k] = {"dtype": "U8", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
    blobs.append(a.tobytes())
    offset += a.nbytes
header["__metadata__"] = {"pillow": Image.__version__, "script": "scripts/reference/clip_pil_reference.py"}
hb = json.dumps(header, separators=(",", ":")).encode()
hb += b" " * ((8 - len(hb) % 8) % 8)
with open(os.path.join(out, "pil.safetensors"), "wb") as fh:
    fh.write(struct.pack("<Q", len(hb)))
    fh.write(hb)
    for b in blobs:
        fh.write(b)
print("wrote", len(tensors), "tensors,", offset, "bytes, Pillow", Image.__version__)
