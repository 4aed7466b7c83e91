package dev.genai4j.models.clip;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's ViT image tower (arXiv 2103.00020 §2.4, 2010.11929; HF {@code CLIPVisionTransformer}):
 * non-overlapping patches embedded by one GEMM (the stride-P convolution without bias, as
 * im2col · Wᵀ), a learned class token in front, learned positions, {@code pre_layrnorm}, the
 * encoder, and {@code post_layernorm} on the class token only.
 */
public final class ClipVisionTransformer extends Module {
    private final ClipVisionConfig c;
    private final Parameter classEmbedding;      // embeddings.class_embedding [D]
    private final Parameter patchWeight;         // embeddings.patch_embedding.weight [D, C, P, P]
    private final Parameter positions;           // embeddings.position_embedding.weight [1 + G², D]
    private final LayerNorm preNorm;             // pre_layrnorm (HF's spelling)
    private final List<ClipEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm postNorm;            // post_layernorm

    private ClipVisionTransformer(Weights w, ClipVisionConfig c) {
        this.c = c;
        int d = c.hiddenSize();
        Weights e = w.sub("embeddings");
        this.classEmbedding = param("embeddings.class_embedding", e.get("class_embedding", d));
        this.patchWeight = param("embeddings.patch_embedding.weight",
                e.get("patch_embedding.weight", d, c.numChannels(), c.patchSize(), c.patchSize()));
        this.positions = param("embeddings.position_embedding.weight", e.get("position_embedding.weight", c.numPatches() + 1, d));
        this.preNorm = child("pre_layrnorm", LayerNorm.load(w.sub("pre_layrnorm"), d, c.layerNormEps(), true));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(child("encoder.layers." + i, ClipEncoderLayer.load(w.sub("encoder.layers." + i), d,
                    c.numAttentionHeads(), c.intermediateSize(), c.hiddenAct(), c.layerNormEps())));
        }
        this.postNorm = child("post_layernorm", LayerNorm.load(w.sub("post_layernorm"), d, c.layerNormEps(), true));
    }

    public static ClipVisionTransformer load(Weights w, ClipVisionConfig c) { return new ClipVisionTransformer(w, c); }

    /** pixels [B, C, S, S] → last hidden state [B, 1 + G², D] (before post_layernorm) and pooled [B, D]. */
    public ClipModel.TowerOutput forward(Tensor pixels) {
        int s = c.imageSize(), p = c.patchSize(), g = c.grid(), ch = c.numChannels(), d = c.hiddenSize();
        if (pixels.dim() != 4 || pixels.size(1) != ch || pixels.size(2) != s || pixels.size(3) != s) {
            throw ShapeException.of("ClipVisionTransformer.forward: pixel_values", "[B, " + ch + ", " + s + ", " + s + "]", pixels.shape());
        }
        int b = pixels.size(0);
        // im2col: patch (gy, gx) becomes one row ordered (c, ky, kx), the conv weight's own order
        Tensor patches = pixels.reshape(b, ch, g, p, g, p).permute(0, 2, 4, 1, 3, 5).reshape(b * g * g, ch * p * p);
        Tensor w = patchWeight.value().reshape(d, ch * p * p);                     // [D, C·P·P]
        Tensor x = patches.matmul(w.mT()).reshape(b, g * g, d);                    // [B, G², D]
        Tensor cls = classEmbedding.value().reshape(1, 1, d).expand(b, 1, d);      // [B, 1, D]
        x = Tensor.cat(List.of(cls, x), 1).add(positions.value());                 // [B, 1 + G², D]
        x = preNorm.forward(x);
        for (ClipEncoderLayer layer : layers) x = layer.forward(x, null);
        Tensor pooled = postNorm.forward(x.select(1, 0));                          // [B, D]
        return new ClipModel.TowerOutput(x, pooled);
    }

    ClipVisionConfig config() { return c; }
}
