package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Conv2d;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One level of the down path (diffusers {@code CrossAttnDownBlock2D} / {@code DownBlock2D}):
 * {@code layers} ResBlocks, each followed by a spatial transformer when the level has attention,
 * then a stride-2 3×3 convolution ({@code downsamplers.0.conv}) except on the last level. Every
 * ResBlock/transformer output and the downsampled output are pushed as skip connections.
 */
final class DownBlock extends Module {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2D> attentions = new ArrayList<>();
    private final Conv2d downsample;   // [out, out, 3, 3] stride 2, or null on the last level

    DownBlock(UNetConfig c, int level, int in, Rng rng) {
        int out = c.channels(level);
        for (int j = 0; j < c.layersPerBlock(); j++) {
            resnets.add(child("resnets." + j, new ResnetBlock2D(j == 0 ? in : out, out, c.timeEmbedDim(), c.normNumGroups(), c.normEps(), rng)));
            if (c.attentionAt(level)) {
                attentions.add(child("attentions." + j, new Transformer2D(out, c.crossAttentionDim(), c.attentionHeadDim(), c.normNumGroups(), rng)));
            }
        }
        downsample = level == c.levels() - 1 ? null
                : child("downsamplers.0.conv", new Conv2d(Conv2d.Config.of(out, out, 3).stride(2).padding(1), rng));
    }

    /** x [B, in, H, W] → [B, out, H', W'], appending every intermediate to {@code skips}. */
    Tensor forward(Tensor x, Tensor tembSilu, Tensor text, List<Tensor> skips) {
        for (int j = 0; j < resnets.size(); j++) {
            x = resnets.get(j).forward(x, tembSilu);
            if (!attentions.isEmpty()) x = attentions.get(j).forward(x, text);
            skips.add(x);
        }
        if (downsample != null) {
            x = downsample.forward(x);
            skips.add(x);
        }
        return x;
    }
}
