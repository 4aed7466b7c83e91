package dev.genai4j.models.clip;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's original CLIP state-dict names ({@code github.com/openai/CLIP} {@code model.py}, also
 * open_clip's ViT names) mapped onto HF {@code CLIPModel} names, without copying the big
 * tensors: {@code attn.in_proj_weight} [3D, D] is split into q/k/v row blocks (views), and the
 * {@code x @ proj} matrices {@code visual.proj} / {@code text_projection} [D, P] become the
 * [P, D] Linear weights HF stores (small transposed copies).
 *
 * <pre>{@code
 * Weights hf = OpenAiClipWeights.isOpenAi(w) ? OpenAiClipWeights.toHf(w) : w;
 * }</pre>
 */
public final class OpenAiClipWeights {
    private OpenAiClipWeights() {}

    /** True when {@code w} uses OpenAI's names (a {@code visual.*} tower and {@code token_embedding}). */
    public static boolean isOpenAi(Weights w) {
        return w.has("token_embedding.weight") || w.has("visual.conv1.weight") || w.has("visual.layer1.0.conv1.weight");
    }

    /** Fails with {@link UnsupportedClipException} when the image tower is OpenAI's ModifiedResNet. */
    static void requireVit(Weights w) {
        for (String n : w.names()) {
            if (n.startsWith("visual.layer1.") || n.startsWith("visual.attnpool.")) {
                throw new UnsupportedClipException("CLIP checkpoint " + w.source() + " has a ResNet image tower ('" + n
                        + "', OpenAI RN50/RN101/RN50x* models); ResNet towers are out of scope for now: use a ViT CLIP (visual.conv1 + visual.transformer)");
            }
        }
        if (!w.has("visual.conv1.weight")) {
            throw new UnsupportedClipException("CLIP checkpoint " + w.source() + " uses OpenAI names but has no 'visual.conv1.weight' (the ViT patch embedding)");
        }
    }

    /** Number of blocks {@code prefix + i + ".ln_1.weight"} for i = 0, 1, … */
    static int countBlocks(Weights w, String prefix) {
        int n = 0;
        while (w.has(prefix + n + ".ln_1.weight")) n++;
        return n;
    }

    /** The same tensors under HF {@code CLIPModel} names. */
    public static Weights toHf(Weights w) {
        requireVit(w);
        Map<String, Tensor> out = new LinkedHashMap<>();
        // vision tower
        out.put("vision_model.embeddings.patch_embedding.weight", w.get("visual.conv1.weight"));
        out.put("vision_model.embeddings.class_embedding", w.get("visual.class_embedding"));
        out.put("vision_model.embeddings.position_embedding.weight", w.get("visual.positional_embedding"));
        norm(w, "visual.ln_pre", out, "vision_model.pre_layrnorm");
        norm(w, "visual.ln_post", out, "vision_model.post_layernorm");
        blocks(w, "visual.transformer.resblocks.", out, "vision_model.encoder.layers.");
        out.put("visual_projection.weight", w.get("visual.proj").mT().contiguous());     // [Dv, P] → [P, Dv]
        // text tower
        out.put("text_model.embeddings.token_embedding.weight", w.get("token_embedding.weight"));
        out.put("text_model.embeddings.position_embedding.weight", w.get("positional_embedding"));
        blocks(w, "transformer.resblocks.", out, "text_model.encoder.layers.");
        norm(w, "ln_final", out, "text_model.final_layer_norm");
        out.put("text_projection.weight", w.get("text_projection").mT().contiguous());   // [Dt, P] → [P, Dt]
        out.put("logit_scale", w.get("logit_scale"));
        return Weights.ofMap(out);
    }

    private static void blocks(Weights w, String from, Map<String, Tensor> out, String to) {
        int n = countBlocks(w, from);
        for (int i = 0; i < n; i++) {
            Weights b = w.sub(from + i);
            String t = to + i + ".";
            norm(b, "ln_1", out, t + "layer_norm1");
            norm(b, "ln_2", out, t + "layer_norm2");
            Tensor inW = b.get("attn.in_proj_weight"), inB = b.get("attn.in_proj_bias");   // [3D, D], [3D]: q | k | v
            int d = inW.size(1);
            String[] qkv = {"q_proj", "k_proj", "v_proj"};
            for (int k = 0; k < 3; k++) {
                out.put(t + "self_attn." + qkv[k] + ".weight", inW.narrow(0, k * d, d));
                out.put(t + "self_attn." + qkv[k] + ".bias", inB.narrow(0, k * d, d));
            }
            linear(b, "attn.out_proj", out, t + "self_attn.out_proj");
            linear(b, "mlp.c_fc", out, t + "mlp.fc1");
            linear(b, "mlp.c_proj", out, t + "mlp.fc2");
        }
    }

    private static void norm(Weights w, String from, Map<String, Tensor> out, String to) {
        out.put(to + ".weight", w.get(from + ".weight"));
        out.put(to + ".bias", w.get(from + ".bias"));
    }

    private static void linear(Weights w, String from, Map<String, Tensor> out, String to) { norm(w, from, out, to); }
}
