"""Our UNet's parameter names (diffusers' UNet2DConditionModel layout) for the bench's PyTorch replica
(scripts/bench/diffusion_unet_torch.py), and reading/writing them as safetensors without the package."""
import json
import struct

import numpy as np
import torch


def diffusers_name(k):
    """'down.2.att.0.ff_in.weight' -> 'down_blocks.2.attentions.0.transformer_blocks.0.ff.net.0.proj.weight'."""
    p = k.split('.')
    if p[0] in ('linear_1', 'linear_2'):
        return 'time_embedding.' + k
    if p[0] in ('down', 'up'):
        block = ('down_blocks.' if p[0] == 'down' else 'up_blocks.') + p[1]
        rest = '.'.join(p[4:])
        if p[2] == 'res':
            return f'{block}.resnets.{p[3]}.{rest}'
        if p[2] == 'att':
            return f'{block}.attentions.{p[3]}.{_attention(rest)}'
        sampler = 'downsamplers' if p[2] == 'down' else 'upsamplers'
        return f'{block}.{sampler}.0.conv.' + '.'.join(p[3:])
    if p[0] == 'mid':
        rest = '.'.join(p[2:])
        return {'0': 'mid_block.resnets.0.' + rest, '1': 'mid_block.attentions.0.' + _attention(rest),
                '2': 'mid_block.resnets.1.' + rest}[p[1]]
    return k                                   # conv_in, conv_norm_out, conv_out


def _attention(rest):
    head, _, tail = rest.partition('.')
    if head in ('norm', 'proj_in', 'proj_out'):
        return rest
    if head == 'ff_in':
        return 'transformer_blocks.0.ff.net.0.proj.' + tail
    if head == 'ff_out':
        return 'transformer_blocks.0.ff.net.2.' + tail
    return 'transformer_blocks.0.' + rest      # norm1..3, attn1, attn2


def save(state, path):
    """state: replica state_dict; writes float32 safetensors under diffusers names."""
    tensors = {diffusers_name(k): v.detach().contiguous().numpy().astype(np.float32) for k, v in state.items()}
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        b = tensors[name].tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_into(net, path):
    """Loads our float32 safetensors (diffusers names) into the replica."""
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    state = {}
    for k in net.state_dict():
        m = header[diffusers_name(k)]
        a, b = m['data_offsets']
        state[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype=np.float32).reshape(m['shape']).copy())
    net.load_state_dict(state)
