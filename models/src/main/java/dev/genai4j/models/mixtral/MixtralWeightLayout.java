package dev.genai4j.models.mixtral;

import dev.genai4j.io.MissingWeightException;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Rope;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three ways Mixtral weights are published, all mapped onto the HF Hub names the model loads
 * ({@code model.layers.N.block_sparse_moe.experts.E.w1.weight} …), as views: nothing is copied.
 * <ul>
 *   <li>{@link #HUB}: transformers ≤ 4.x, one module per expert
 *       ({@code block_sparse_moe.gate}, {@code block_sparse_moe.experts.E.w1/w2/w3});</li>
 *   <li>{@link #PACKED}: transformers 5, experts stacked ({@code mlp.gate.weight} [E, H],
 *       {@code mlp.experts.gate_up_proj} [E, 2I, H] = gate (w1) rows then up (w3) rows,
 *       {@code mlp.experts.down_proj} [E, H, I] = w2);</li>
 *   <li>{@link #NATIVE}: mistral-inference ({@code tok_embeddings}, {@code layers.N.attention.wq},
 *       {@code attention_norm}, {@code ffn_norm}, {@code feed_forward.gate},
 *       {@code feed_forward.experts.E.w1}, {@code norm}, {@code output}). Its wq/wk rows keep
 *       Meta's interleaved RoPE pairs (HF's converter permutes them into rotate-half order), so
 *       this layout rotates with {@link Rope.Layout#INTERLEAVED}.</li>
 * </ul>
 * A tensor the config calls for but the file lacks fails here, by its name in the file's own layout.
 *
 * <pre>{@code
 * MixtralWeightLayout layout = MixtralWeightLayout.detect(weights);
 * Weights hub = layout.toHub(weights, config);   // hub.get("model.layers.0.block_sparse_moe.gate.weight")
 * }</pre>
 */
public enum MixtralWeightLayout {
    HUB(Rope.Layout.ROTATE_HALF),
    PACKED(Rope.Layout.ROTATE_HALF),
    NATIVE(Rope.Layout.INTERLEAVED);

    private static final Pattern NATIVE_LAYER = Pattern.compile("layers\\.(\\d+)\\.(.+)");

    private final Rope.Layout ropeLayout;

    MixtralWeightLayout(Rope.Layout ropeLayout) { this.ropeLayout = ropeLayout; }

    /** How q/k channels pair up for RoPE in this layout. */
    public Rope.Layout ropeLayout() { return ropeLayout; }

    /** Recognizes the layout from the tensor names. */
    public static MixtralWeightLayout detect(Weights w) {
        if (w.has("tok_embeddings.weight") || w.has("layers.0.attention.wq.weight")) return NATIVE;
        if (w.has("model.layers.0.mlp.experts.gate_up_proj") || w.has("model.layers.0.mlp.gate.weight")) return PACKED;
        if (w.has("model.embed_tokens.weight") || w.has("model.layers.0.block_sparse_moe.gate.weight")) return HUB;
        throw new MissingWeightException("mixtral: " + w.source() + " holds none of 'model.embed_tokens.weight' (HF Hub layout), "
                + "'model.layers.0.mlp.experts.gate_up_proj' (transformers 5 packed experts) or 'tok_embeddings.weight' "
                + "(mistral-inference); is this a Mixtral checkpoint?");
    }

    /**
     * A view of {@code w} under HF Hub names, with {@code lm_head.weight} tied to the embeddings
     * when the config says so (or the file has no head, as tied HF checkpoints do).
     */
    public Weights toHub(Weights w, MixtralConfig c) {
        requireComplete(w, c);
        Map<String, Tensor> hub = new LinkedHashMap<>();
        for (String name : w.names()) {
            switch (this) {
                case HUB -> hub.put(name, w.get(name));
                case PACKED -> packedToHub(w, c, name, hub);
                case NATIVE -> hub.put(nativeToHub(name), w.get(name));
            }
        }
        Weights out = new Renamed(hub, w.source() + " (" + name().toLowerCase(java.util.Locale.ROOT) + " layout)");
        if (c.tieWordEmbeddings() || !out.has("lm_head.weight")) out = out.withAlias("lm_head.weight", "model.embed_tokens.weight");
        return out;
    }

    private static void packedToHub(Weights w, MixtralConfig c, String name, Map<String, Tensor> hub) {
        int e = c.numLocalExperts(), h = c.hiddenSize(), inter = c.intermediateSize();
        if (name.endsWith(".mlp.gate.weight")) {
            hub.put(name.replace(".mlp.gate.", ".block_sparse_moe.gate."), w.get(name));
        } else if (name.endsWith(".mlp.experts.gate_up_proj")) {
            Tensor gu = w.get(name, e, 2 * inter, h);                             // [E, 2I, H]
            String base = name.replace(".mlp.experts.gate_up_proj", ".block_sparse_moe.experts.");
            for (int i = 0; i < e; i++) {
                Tensor one = gu.select(0, i);                                     // [2I, H]
                hub.put(base + i + ".w1.weight", one.narrow(0, 0, inter));        // gate [I, H]
                hub.put(base + i + ".w3.weight", one.narrow(0, inter, inter));    // up   [I, H]
            }
        } else if (name.endsWith(".mlp.experts.down_proj")) {
            Tensor down = w.get(name, e, h, inter);                               // [E, H, I]
            String base = name.replace(".mlp.experts.down_proj", ".block_sparse_moe.experts.");
            for (int i = 0; i < e; i++) hub.put(base + i + ".w2.weight", down.select(0, i));
        } else {
            hub.put(name, w.get(name));
        }
    }

    private static String nativeToHub(String name) {
        switch (name) {
            case "tok_embeddings.weight": return "model.embed_tokens.weight";
            case "norm.weight": return "model.norm.weight";
            case "output.weight": return "lm_head.weight";
            default: break;
        }
        Matcher m = NATIVE_LAYER.matcher(name);
        if (!m.matches()) return name;
        String rest = m.group(2)
                .replace("attention.wq.", "self_attn.q_proj.")
                .replace("attention.wk.", "self_attn.k_proj.")
                .replace("attention.wv.", "self_attn.v_proj.")
                .replace("attention.wo.", "self_attn.o_proj.")
                .replace("attention_norm.", "input_layernorm.")
                .replace("ffn_norm.", "post_attention_layernorm.")
                .replace("feed_forward.", "block_sparse_moe.");
        return "model.layers." + m.group(1) + "." + rest;
    }

    /** Every tensor the config needs, by its name in this layout: a missing one is named before anything loads. */
    private void requireComplete(Weights w, MixtralConfig c) {
        String[] global = switch (this) {
            case HUB, PACKED -> new String[]{"model.embed_tokens.weight", "model.norm.weight"};
            case NATIVE -> new String[]{"tok_embeddings.weight", "norm.weight"};
        };
        for (String g : global) need(w, g, "");
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            switch (this) {
                case HUB -> {
                    String p = "model.layers." + l + ".";
                    for (String s : new String[]{"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                            "input_layernorm", "post_attention_layernorm", "block_sparse_moe.gate"}) need(w, p + s + ".weight", "");
                    for (int e = 0; e < c.numLocalExperts(); e++) {
                        for (String x : new String[]{"w1", "w2", "w3"}) {
                            need(w, p + "block_sparse_moe.experts." + e + "." + x + ".weight",
                                    " (expert " + e + " of " + c.numLocalExperts() + " in layer " + l + ")");
                        }
                    }
                }
                case PACKED -> {
                    String p = "model.layers." + l + ".";
                    for (String s : new String[]{"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                            "self_attn.o_proj.weight", "input_layernorm.weight", "post_attention_layernorm.weight", "mlp.gate.weight",
                            "mlp.experts.gate_up_proj", "mlp.experts.down_proj"}) need(w, p + s, "");
                }
                case NATIVE -> {
                    String p = "layers." + l + ".";
                    for (String s : new String[]{"attention.wq", "attention.wk", "attention.wv", "attention.wo", "attention_norm",
                            "ffn_norm", "feed_forward.gate"}) need(w, p + s + ".weight", "");
                    for (int e = 0; e < c.numLocalExperts(); e++) {
                        for (String x : new String[]{"w1", "w2", "w3"}) {
                            need(w, p + "feed_forward.experts." + e + "." + x + ".weight",
                                    " (expert " + e + " of " + c.numLocalExperts() + " in layer " + l + ")");
                        }
                    }
                }
            }
        }
    }

    private void need(Weights w, String name, String what) {
        if (!w.has(name)) {
            throw new MissingWeightException("mixtral (" + name().toLowerCase(java.util.Locale.ROOT) + " layout): tensor '" + w.prefix() + name
                    + "'" + what + " not found in " + w.source());
        }
    }

    /** Weights over renamed views that still name the checkpoint they came from in errors. */
    private static final class Renamed extends Weights {
        Renamed(Map<String, Tensor> tensors, String source) { super(java.util.Collections.unmodifiableMap(tensors), "", source); }
    }
}
