package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Conv2d;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.UpsampleNearest2d;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One level of the up path (diffusers {@code CrossAttnUpBlock2D} / {@code UpBlock2D}):
 * {@code layers + 1} ResBlocks, each taking the running features concatenated (channel axis) with
 * the matching skip popped from the down path, each followed by a spatial transformer when the
 * level has attention; then nearest ×2 upsampling and a 3×3 conv ({@code upsamplers.0.conv})
 * except on the last (highest-resolution) level.
 */
final class UpBlock extends Module {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2D> attentions = new ArrayList<>();
    private final Conv2d upsampleConv;        // [out, out, 3, 3] or null
    private final UpsampleNearest2d upsample = new UpsampleNearest2d(2);

    /**
     * @param i    index in the up path (0 = lowest resolution)
     * @param skipChannels channels of the skips this block pops, in pop order
     */
    UpBlock(UNetConfig c, int i, int prevOut, int[] skipChannels, Rng rng) {
        int level = c.levels() - 1 - i, out = c.channels(level);
        for (int j = 0; j < c.layersPerBlock() + 1; j++) {
            int resIn = (j == 0 ? prevOut : out) + skipChannels[j];
            resnets.add(child("resnets." + j, new ResnetBlock2D(resIn, out, c.timeEmbedDim(), c.normNumGroups(), c.normEps(), rng)));
            if (c.attentionAt(level)) {
                attentions.add(child("attentions." + j, new Transformer2D(out, c.crossAttentionDim(), c.attentionHeadDim(), c.normNumGroups(), rng)));
            }
        }
        upsampleConv = level == 0 ? null : child("upsamplers.0.conv", new Conv2d(Conv2d.Config.of(out, out, 3).padding(1), rng));
    }

    int numResnets() { return resnets.size(); }

    /** x [B, prev, H, W] → [B, out, 2H, 2W] (or H, W on the last level), popping skips from the end of {@code skips}. */
    Tensor forward(Tensor x, Tensor tembSilu, Tensor text, List<Tensor> skips) {
        for (int j = 0; j < resnets.size(); j++) {
            Tensor skip = skips.removeLast();
            x = resnets.get(j).forward(Tensor.cat(List.of(x, skip), 1), tembSilu);
            if (!attentions.isEmpty()) x = attentions.get(j).forward(x, text);
        }
        if (upsampleConv != null) x = upsampleConv.forward(upsample.forward(x));
        return x;
    }
}
