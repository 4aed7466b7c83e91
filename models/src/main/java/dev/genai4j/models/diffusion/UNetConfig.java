package dev.genai4j.models.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text-conditioned UNet's shape, read from and written to a diffusers-style {@code config.json}
 * ({@code UNet2DConditionModel}: {@code block_out_channels}, {@code down_block_types} with
 * {@code CrossAttnDownBlock2D} / {@code DownBlock2D}, {@code layers_per_block}, {@code cross_attention_dim} …).
 * One deviation, written down: {@code attention_head_dim} here is the width of one head (diffusers'
 * old SD configs misuse it as the head count), so a block of C channels has C / attention_head_dim heads.
 *
 * <pre>{@code
 * UNetConfig c = UNetConfig.fashionMnist();          // 32×32×1, channels 32/64/64, attention at 16 and 8
 * c.write(dir.resolve("config.json"));
 * UNetConfig back = UNetConfig.read(dir.resolve("config.json"));
 * }</pre>
 *
 * @param sampleSize         image side (32)
 * @param inChannels         image channels (1 grey, 3 RGB)
 * @param outChannels        predicted ε channels (= inChannels)
 * @param blockOutChannels   channels per resolution level, highest resolution first
 * @param crossAttention     per level: whether its blocks carry self + cross attention (CrossAttnDownBlock2D)
 * @param layersPerBlock     ResBlocks per down level (up levels have one more, as diffusers)
 * @param crossAttentionDim  width of the text token states (384 for MiniLM)
 * @param attentionHeadDim   width of one attention head
 * @param normNumGroups      GroupNorm groups
 * @param normEps            GroupNorm epsilon of the ResBlocks and the output norm
 */
public record UNetConfig(int sampleSize, int inChannels, int outChannels, int[] blockOutChannels, boolean[] crossAttention,
                         int layersPerBlock, int crossAttentionDim, int attentionHeadDim, int normNumGroups, float normEps) {
    public static final String CROSS_DOWN = "CrossAttnDownBlock2D", PLAIN_DOWN = "DownBlock2D";
    public static final String CROSS_UP = "CrossAttnUpBlock2D", PLAIN_UP = "UpBlock2D";

    public UNetConfig {
        blockOutChannels = blockOutChannels.clone();
        crossAttention = crossAttention.clone();
        if (blockOutChannels.length == 0 || blockOutChannels.length != crossAttention.length) {
            throw new ConfigException("UNet config: block_out_channels " + Arrays.toString(blockOutChannels)
                    + " and down_block_types must be non-empty and of equal length, got " + crossAttention.length + " block types");
        }
        if (sampleSize % (1 << (blockOutChannels.length - 1)) != 0) {
            throw new ConfigException("UNet config: sample_size " + sampleSize + " must be divisible by 2^(levels−1) = " + (1 << (blockOutChannels.length - 1)));
        }
        if (inChannels <= 0 || outChannels <= 0 || layersPerBlock <= 0 || crossAttentionDim <= 0 || attentionHeadDim <= 0 || normNumGroups <= 0) {
            throw new ConfigException("UNet config: channels, layers_per_block, cross_attention_dim, attention_head_dim and norm_num_groups must be positive: " + describe(inChannels, outChannels, layersPerBlock, crossAttentionDim, attentionHeadDim, normNumGroups));
        }
        for (int i = 0; i < blockOutChannels.length; i++) {
            int c = blockOutChannels[i];
            if (c % normNumGroups != 0) throw new ConfigException("UNet config: block_out_channels[" + i + "] = " + c + " is not a multiple of norm_num_groups " + normNumGroups);
            if ((crossAttention[i] || i == blockOutChannels.length - 1) && c % attentionHeadDim != 0) throw new ConfigException("UNet config: block_out_channels[" + i + "] = " + c + " is not a multiple of attention_head_dim " + attentionHeadDim);
        }
    }

    private static String describe(int... v) { return Arrays.toString(v); }

    /**
     * 32×32 grey (Fashion-MNIST padded): channels 16/32/64, self + cross attention at 8×8 and in the
     * middle block, one ResBlock per down level, MiniLM text (384); 1.15 M parameters. Sized to train
     * to recognizable samples in about an hour on one shared CPU core (a training step of batch 16
     * costs 0.4 s of CPU there, 32/64/64 with attention at 16×16 too costs 1.5 s: {@link #fashionMnistWide()}).
     */
    public static UNetConfig fashionMnist() {
        return new UNetConfig(32, 1, 1, new int[]{16, 32, 64}, new boolean[]{false, false, true}, 1, 384, 32, 8, 1e-5f);
    }

    /** 32×32 grey, channels 32/64/64, attention at 16×16 and 8×8, MiniLM text (384); 1.97 M parameters. */
    public static UNetConfig fashionMnistWide() {
        return new UNetConfig(32, 1, 1, new int[]{32, 64, 64}, new boolean[]{false, true, true}, 1, 384, 32, 8, 1e-5f);
    }

    /** 32×32 RGB (Twemoji), channels 64/128/128, attention at 16×16 and 8×8, MiniLM text (384). */
    public static UNetConfig twemoji() {
        return new UNetConfig(32, 3, 3, new int[]{64, 128, 128}, new boolean[]{false, true, true}, 2, 384, 32, 16, 1e-5f);
    }

    /**
     * 32×32 RGB shape renders: the Fashion-MNIST layout (channels 16/32/64, cross-attention at 8×8 and in the
     * middle, MiniLM text 384) with three channels; sized to train at one thread in under an hour.
     */
    public static UNetConfig shapeRenders() {
        return new UNetConfig(32, 3, 3, new int[]{16, 32, 64}, new boolean[]{false, false, true}, 1, 384, 32, 8, 1e-5f);
    }

    /** This layout with other channel counts per level (same levels, attention, heads and groups; validated as any config). */
    public UNetConfig withBlockOutChannels(int[] channels) {
        if (channels.length != blockOutChannels.length) {
            throw new ConfigException("UNet config: " + channels.length + " channel counts " + Arrays.toString(channels) + " for a UNet of "
                    + blockOutChannels.length + " levels " + Arrays.toString(blockOutChannels));
        }
        return new UNetConfig(sampleSize, inChannels, outChannels, channels, crossAttention, layersPerBlock, crossAttentionDim,
                attentionHeadDim, normNumGroups, normEps);
    }

    public int levels() { return blockOutChannels.length; }

    public int timeEmbedDim() { return 4 * blockOutChannels[0]; }

    @Override public int[] blockOutChannels() { return blockOutChannels.clone(); }

    @Override public boolean[] crossAttention() { return crossAttention.clone(); }

    public int channels(int level) { return blockOutChannels[level]; }

    public boolean attentionAt(int level) { return crossAttention[level]; }

    /** The diffusers {@code config.json} keys (plus {@code _class_name}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", "UNet2DConditionModel");
        m.put("sample_size", sampleSize);
        m.put("in_channels", inChannels);
        m.put("out_channels", outChannels);
        m.put("block_out_channels", Arrays.stream(blockOutChannels).boxed().toList());
        List<String> down = new ArrayList<>(), up = new ArrayList<>();
        for (int i = 0; i < levels(); i++) down.add(crossAttention[i] ? CROSS_DOWN : PLAIN_DOWN);
        for (int i = levels() - 1; i >= 0; i--) up.add(crossAttention[i] ? CROSS_UP : PLAIN_UP);
        m.put("down_block_types", down);
        m.put("up_block_types", up);
        m.put("mid_block_type", "UNetMidBlock2DCrossAttn");
        m.put("layers_per_block", layersPerBlock);
        m.put("cross_attention_dim", crossAttentionDim);
        m.put("attention_head_dim", attentionHeadDim);
        m.put("norm_num_groups", normNumGroups);
        m.put("norm_eps", normEps);
        m.put("flip_sin_to_cos", true);
        m.put("freq_shift", 0);
        m.put("use_linear_projection", true);
        return m;
    }

    /** Parses a config map as written by {@link #toMap()}; unknown block types are an error. */
    public static UNetConfig fromJson(JsonConfig j) {
        int[] ch = j.getIntArray("block_out_channels");
        List<String> down = j.getStringList("down_block_types");
        boolean[] cross = new boolean[down.size()];
        for (int i = 0; i < down.size(); i++) {
            String t = down.get(i);
            if (t.equals(CROSS_DOWN)) cross[i] = true;
            else if (!t.equals(PLAIN_DOWN)) throw new ConfigException(j.file() + ": down_block_types[" + i + "] is '" + t + "'; expected " + CROSS_DOWN + " or " + PLAIN_DOWN);
        }
        int in = j.getInt("in_channels");
        return new UNetConfig(j.getInt("sample_size"), in, j.getInt("out_channels", in), ch, cross, j.getInt("layers_per_block", 2),
                j.getInt("cross_attention_dim"), j.getInt("attention_head_dim"), j.getInt("norm_num_groups", 32),
                (float) j.getDouble("norm_eps", 1e-5));
    }

    public static UNetConfig read(Path file) {
        if (!Files.isRegularFile(file)) throw new CheckpointException("UNet config: " + file + " does not exist");
        return fromJson(JsonConfig.read(file));
    }

    /** Writes {@link #toMap()} as pretty JSON (not atomically; checkpoint writers put it in a temp folder first). */
    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(toMap()));
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + ": " + e, e);
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof UNetConfig c && sampleSize == c.sampleSize && inChannels == c.inChannels && outChannels == c.outChannels
                && Arrays.equals(blockOutChannels, c.blockOutChannels) && Arrays.equals(crossAttention, c.crossAttention)
                && layersPerBlock == c.layersPerBlock && crossAttentionDim == c.crossAttentionDim && attentionHeadDim == c.attentionHeadDim
                && normNumGroups == c.normNumGroups && Float.compare(normEps, c.normEps) == 0;
    }

    @Override public int hashCode() { return Arrays.hashCode(blockOutChannels) * 31 + sampleSize; }

    @Override public String toString() {
        return "UNetConfig" + toMap();
    }
}
