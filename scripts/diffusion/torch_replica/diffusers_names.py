"""Our UNet's parameter names (diffusers' UNet2DConditionModel layout) for the bench's PyTorch replica
(scripts/bench/diffusion_unet_torch.py), and reading/writing them as safetensors (scripts/reference/st_io.py)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'reference'))
import st_io  # noqa: E402


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
    st_io.save({diffusers_name(k): v.detach().float() for k, v in state.items()}, path)


def load_into(net, path):
    """Loads our safetensors (diffusers names) into the replica."""
    tensors = st_io.load(path)
    net.load_state_dict({k: tensors[diffusers_name(k)].float() for k in net.state_dict()})
