# The PyTorch replica's ε̂ for ForwardCheck.java's input, with a model folder's weights.
# Run: /usr/bin/python3 scripts/diffusion/torch_replica/forward_check.py MODEL_DIR DATA_DIR
import os
import sys

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [here, os.path.join(here, '..', '..', 'bench')]
from diffusers_names import load_into                  # noqa: E402
from diffusion_unet_torch import UNet, CONFIGS         # noqa: E402

model_dir, data_dir = sys.argv[1], sys.argv[2]
net = UNet(*CONFIGS['fashion'])
load_into(net, os.path.join(model_dir, 'diffusion_pytorch_model.safetensors'))
x = torch.tensor([np.sin(0.37 * i) * 0.8 for i in range(2048)], dtype=torch.float32).reshape(2, 1, 32, 32)
text = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'text.f32'), dtype=np.float32).reshape(80, 16, 384))
with torch.no_grad():
    eps = net(x, torch.tensor([500, 37]), torch.stack([text[0], text[57]])).flatten()
print(' '.join(f'{eps[i].item():.6f}' for i in [0, 1, 100, 517, 1023, 1024, 1500, 2047]), 'norm', eps.norm().item())
