package dev.genai4j.models.diffusion;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Conv2d;
import dev.genai4j.nn.GroupNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text-conditioned denoising UNet predicting ε (DDPM, arXiv 2006.11239; the latent-diffusion
 * UNet of arXiv 2112.10752 in pixel space), laid out and named as diffusers'
 * {@code UNet2DConditionModel}: {@code conv_in}, {@code time_embedding.linear_1/2},
 * {@code down_blocks.N.{resnets,attentions,downsamplers}}, {@code mid_block}, {@code up_blocks},
 * {@code conv_norm_out}, {@code conv_out}.
 *
 * <pre>{@code
 * UNet unet = new UNet(UNetConfig.fashionMnist(), new Rng(0));
 * Tensor eps = unet.forward(xt, new float[]{999, 500}, text);   // xt [2, 1, 32, 32], text [2, L, 384]
 * unet.save(dir);  UNet back = UNet.load(dir);
 * }</pre>
 */
public final class UNet extends Module {
    public static final String WEIGHTS_FILE = "diffusion_pytorch_model.safetensors";
    public static final String CONFIG_FILE = "config.json";

    private final UNetConfig config;
    private final Conv2d convIn;                    // [c0, in, 3, 3]
    private final Linear timeLinear1, timeLinear2;  // [4c0, c0], [4c0, 4c0]
    private final List<DownBlock> down = new ArrayList<>();
    private final MidBlock mid;
    private final List<UpBlock> up = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;                   // [out, c0, 3, 3]
    private final Map<String, LowRankAdapter> lora = new LinkedHashMap<>();   // "<attention path>.<projection>" → adapter
    private float loraAlpha;

    /** A freshly initialized UNet (PyTorch default inits; {@code conv_out} zeroed so training starts from ε̂ = 0). */
    public UNet(UNetConfig c, Rng rng) {
        this.config = c;
        int c0 = c.channels(0);
        convIn = child("conv_in", new Conv2d(Conv2d.Config.of(c.inChannels(), c0, 3).padding(1), rng));
        timeLinear1 = child("time_embedding.linear_1", new Linear(c0, c.timeEmbedDim(), true, rng));
        timeLinear2 = child("time_embedding.linear_2", new Linear(c.timeEmbedDim(), c.timeEmbedDim(), true, rng));
        Deque<Integer> skips = new ArrayDeque<>();
        skips.push(c0);
        int ch = c0;
        for (int l = 0; l < c.levels(); l++) {
            down.add(child("down_blocks." + l, new DownBlock(c, l, ch, rng)));
            ch = c.channels(l);
            for (int j = 0; j < c.layersPerBlock(); j++) skips.push(ch);
            if (l < c.levels() - 1) skips.push(ch);
        }
        mid = child("mid_block", new MidBlock(c, rng));
        for (int i = 0; i < c.levels(); i++) {
            int[] popped = new int[c.layersPerBlock() + 1];
            for (int j = 0; j < popped.length; j++) popped[j] = skips.pop();
            up.add(child("up_blocks." + i, new UpBlock(c, i, ch, popped, rng)));
            ch = c.channels(c.levels() - 1 - i);
        }
        convNormOut = child("conv_norm_out", new GroupNorm(c.normNumGroups(), c0, c.normEps(), true));
        convOut = child("conv_out", new Conv2d(Conv2d.Config.of(c0, c.outChannels(), 3).padding(1), rng));
        convOut.weight().set(Tensor.zeros(convOut.weight().shape()));
        convOut.bias().set(Tensor.zeros(c.outChannels()));
    }

    public UNetConfig config() { return config; }

    /**
     * ε̂(x_t, t, text): x [B, in, S, S], one (possibly fractional) timestep per image, text token
     * states [B, L, cross_attention_dim] → [B, out, S, S].
     */
    public Tensor forward(Tensor x, float[] timesteps, Tensor text) {
        int b = x.size(0), s = config.sampleSize();
        if (x.dim() != 4 || x.size(1) != config.inChannels() || x.size(2) != s || x.size(3) != s) {
            throw ShapeException.of("UNet input", "[B, " + config.inChannels() + ", " + s + ", " + s + "]", x.shape());
        }
        if (timesteps.length != b) throw new ShapeException("UNet: " + timesteps.length + " timesteps for a batch of " + b);
        if (text.dim() != 3 || text.size(0) != b || text.size(2) != config.crossAttentionDim()) {
            throw ShapeException.of("UNet text states", "[" + b + ", L, " + config.crossAttentionDim() + "]", text.shape());
        }
        Tensor temb = timeLinear2.forward(timeLinear1.forward(timestepEmbedding(timesteps, config.channels(0))).silu());
        Tensor tembSilu = temb.silu();                                   // every ResBlock applies SiLU first
        Tensor h = convIn.forward(x);
        List<Tensor> skips = new ArrayList<>();
        skips.add(h);
        for (DownBlock d : down) h = d.forward(h, tembSilu, text, skips);
        h = mid.forward(h, tembSilu, text);
        for (UpBlock u : up) h = u.forward(h, tembSilu, text, skips);
        return convOut.forward(convNormOut.forwardSilu(h));
    }

    /**
     * diffusers {@code get_timestep_embedding} with {@code flip_sin_to_cos=True}, shift 0: for
     * k &lt; dim/2, freq_k = 10000^(−k/(dim/2)); the row is [cos(t·freq) | sin(t·freq)]. [B, dim]
     */
    static Tensor timestepEmbedding(float[] t, int dim) {
        int half = dim / 2;
        float[] out = new float[t.length * dim];
        for (int i = 0; i < t.length; i++) {
            for (int k = 0; k < half; k++) {
                float freq = (float) Math.exp(-Math.log(10000.0) * k / half);
                float arg = t[i] * freq;
                out[i * dim + k] = (float) Math.cos(arg);
                out[i * dim + half + k] = (float) Math.sin(arg);
            }
        }
        return Tensor.of(out, t.length, dim);
    }

    /**
     * Adds LoRA adapters ({@link LowRankAdapter}, rank r, scale α/r) to the q, k, v and output
     * projections of every attention layer, self and cross; the model's output is unchanged until
     * they train. They stay out of {@link #stateDict()} (the base weights keep their names and
     * shapes); {@link #save} writes the merged weights, so a saved folder is a plain UNet.
     *
     * @return the adapters' parameters by name ({@code <attention>.to_q.lora_A.weight}, …)
     */
    public Map<String, Parameter> addLora(int rank, float alpha, Rng rng) {
        if (!lora.isEmpty()) throw new IllegalStateException("UNet already has LoRA adapters (rank " + loraRank() + ")");
        Map<String, Attention> attentions = new LinkedHashMap<>();
        findAttention("", this, attentions);
        if (attentions.isEmpty()) throw new IllegalStateException("UNet has no attention layers to adapt");
        for (var e : attentions.entrySet()) {
            LowRankAdapter[] a = e.getValue().addLora(rank, alpha, rng);
            for (int i = 0; i < a.length; i++) lora.put(e.getKey() + "." + Attention.PROJECTIONS[i], a[i]);
        }
        loraAlpha = alpha;
        return loraParameters();
    }

    private static void findAttention(String prefix, Module m, Map<String, Attention> out) {
        for (var e : m.children().entrySet()) {
            if (e.getValue() instanceof Attention a) out.put(prefix + e.getKey(), a);
            else findAttention(prefix + e.getKey() + ".", e.getValue(), out);
        }
    }

    public boolean hasLora() { return !lora.isEmpty(); }

    /** The adapters' rank, 0 without adapters. */
    public int loraRank() { return lora.isEmpty() ? 0 : lora.values().iterator().next().rank(); }

    /** The adapters' α, 0 without adapters. */
    public float loraAlpha() { return lora.isEmpty() ? 0 : loraAlpha; }

    /** The adapters' parameters by name; empty without adapters. */
    public Map<String, Parameter> loraParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        lora.forEach((name, a) -> a.namedParameters().forEach((k, p) -> out.put(name + "." + k, p)));
        return out;
    }

    /** {@link #stateDict()} with every adapted weight replaced by W + (α/r)·B·A (the plain stateDict without adapters). */
    public Map<String, Tensor> mergedStateDict() {
        Map<String, Tensor> out = stateDict();
        if (lora.isEmpty()) return out;
        Map<String, Attention> attentions = new LinkedHashMap<>();
        findAttention("", this, attentions);
        attentions.forEach((path, a) -> a.mergedWeights().forEach((k, w) -> out.put(path + "." + k, w)));
        return out;
    }

    /** Writes {@code config.json} and {@code diffusion_pytorch_model.safetensors} (fp32, LoRA merged in) into {@code dir}. */
    public void save(Path dir) { save(dir, mergedStateDict()); }

    /** As {@link #save(Path)} with other weights of the same layout (the EMA average, say). */
    public void save(Path dir, Map<String, Tensor> weights) {
        config.write(dir.resolve(CONFIG_FILE));
        new SafetensorsWriter().withMetadata(Map.of("format", "pt")).write(dir.resolve(WEIGHTS_FILE), weights);
    }

    /** Reads a folder written by {@link #save}; a weight of another shape or a missing one fails naming it. */
    public static UNet load(Path dir) {
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new CheckpointException("UNet: " + dir + " has no " + WEIGHTS_FILE + " (a diffusion model folder needs "
                    + CONFIG_FILE + " and " + WEIGHTS_FILE + ")");
        }
        UNet unet = new UNet(UNetConfig.read(dir.resolve(CONFIG_FILE)), new Rng(0));
        unet.loadStateDict(readAll(weights), true);
        return unet;
    }

    /** Every tensor of a safetensors file as an fp32 heap copy (the file may be replaced after). */
    public static Map<String, Tensor> readAll(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsWeights w = Weights.open(file)) {
            for (String name : w.names()) {
                Tensor t = w.get(name);
                out.put(name, Tensor.of(t.toFloatArray(), t.shape()));
            }
        }
        return out;
    }
}
