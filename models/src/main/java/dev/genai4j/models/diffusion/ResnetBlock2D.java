package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Conv2d;
import dev.genai4j.nn.GroupNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * DDPM's residual block with time-embedding injection (arXiv 2006.11239; diffusers
 * {@code ResnetBlock2D}, default "scale_shift"-free form): {@code h = conv1(silu(norm1(x))) +
 * time_emb_proj(silu(temb))[:, :, None, None]}, {@code h = conv2(silu(norm2(h)))}, output
 * {@code shortcut(x) + h} with a 1×1 {@code conv_shortcut} when the channel count changes.
 */
final class ResnetBlock2D extends Module {
    private final GroupNorm norm1, norm2;
    private final Conv2d conv1, conv2;      // [out, in, 3, 3], [out, out, 3, 3]
    private final Linear timeEmbProj;       // [out, temb]
    private final Conv2d convShortcut;      // [out, in, 1, 1] or null

    ResnetBlock2D(int in, int out, int tembDim, int groups, float eps, Rng rng) {
        norm1 = child("norm1", new GroupNorm(groups, in, eps, true));
        conv1 = child("conv1", new Conv2d(Conv2d.Config.of(in, out, 3).padding(1), rng));
        timeEmbProj = child("time_emb_proj", new Linear(tembDim, out, true, rng));
        norm2 = child("norm2", new GroupNorm(groups, out, eps, true));
        conv2 = child("conv2", new Conv2d(Conv2d.Config.of(out, out, 3).padding(1), rng));
        convShortcut = in == out ? null : child("conv_shortcut", new Conv2d(Conv2d.Config.of(in, out, 1), rng));
    }

    /** x [B, in, H, W], temb [B, temb] (already through SiLU) → [B, out, H, W]. */
    Tensor forward(Tensor x, Tensor tembSilu) {
        Tensor h = conv1.forward(norm1.forwardSilu(x));
        Tensor t = timeEmbProj.forward(tembSilu);                        // [B, out]
        h = h.add(t.reshape(t.size(0), t.size(1), 1, 1));
        h = conv2.forward(norm2.forwardSilu(h));
        return (convShortcut == null ? x : convShortcut.forward(x)).add(h);
    }
}
