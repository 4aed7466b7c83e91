package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/** diffusers {@code UNetMidBlock2DCrossAttn} at the lowest resolution: ResBlock, spatial transformer, ResBlock. */
final class MidBlock extends Module {
    private final ResnetBlock2D res0, res1;
    private final Transformer2D attn;

    MidBlock(UNetConfig c, Rng rng) {
        int ch = c.channels(c.levels() - 1);
        res0 = child("resnets.0", new ResnetBlock2D(ch, ch, c.timeEmbedDim(), c.normNumGroups(), c.normEps(), rng));
        attn = child("attentions.0", new Transformer2D(ch, c.crossAttentionDim(), c.attentionHeadDim(), c.normNumGroups(), rng));
        res1 = child("resnets.1", new ResnetBlock2D(ch, ch, c.timeEmbedDim(), c.normNumGroups(), c.normEps(), rng));
    }

    Tensor forward(Tensor x, Tensor tembSilu, Tensor text) {
        return res1.forward(attn.forward(res0.forward(x, tembSilu), text), tembSilu);
    }
}
