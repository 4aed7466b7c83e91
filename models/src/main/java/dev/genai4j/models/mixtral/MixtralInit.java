package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.BpeTrainer;
import dev.genai4j.text.TrainedBpe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a randomly initialized Mixtral checkpoint in the HF Hub layout: {@code config.json} and
 * {@code model.safetensors}, or, past {@code shardBytes}, {@code model-0000i-of-0000n.safetensors}
 * shards with {@code model.safetensors.index.json}. Initialization is HF's {@code _init_weights}:
 * every linear and the embedding ~ N(0, initializer_range), RMSNorm weights 1. Tensors are made and
 * written one shard at a time, so a checkpoint larger than memory can be written; each tensor has
 * its own seed (from {@code seed} and its name), so the values do not depend on the sharding.
 *
 * <pre>{@code
 * MixtralInit.write(Path.of("/tmp/moe"), config, DType.BF16, 0L, 1L << 30);
 * try (var lm = MixtralForCausalLM.load(Path.of("/tmp/moe"))) { ... }
 * }</pre>
 */
public final class MixtralInit {
    private MixtralInit() {}

    /** One tensor to make: its HF name and shape (norms are ones, the rest normal). */
    private record Spec(String name, int[] shape, boolean ones) {
        long numel() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /**
     * @param dtype      F32, BF16 or F16 storage
     * @param shardBytes largest shard in stored bytes (a single tensor larger than this gets a shard of its own)
     */
    public static void write(Path dir, MixtralConfig c, DType dtype, long seed, long shardBytes) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("moe init: dtype must be F32, BF16 or F16, got " + dtype);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("moe init: cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<List<Spec>> shards = plan(specs(c), dtype, shardBytes);
        String torchDtype = switch (dtype) { case BF16 -> "bfloat16"; case F16 -> "float16"; default -> "float32"; };
        SafetensorsWriter writer = new SafetensorsWriter().withMetadata(Map.of("format", "pt")).storeFloatsAs(dtype);
        Map<String, String> weightMap = new LinkedHashMap<>();
        long total = 0;
        for (int s = 0; s < shards.size(); s++) {
            String file = shards.size() == 1 ? "model.safetensors" : String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
            List<Spec> group = shards.get(s);
            Tensor[] made = new Tensor[group.size()];
            Parallel.forEach(group.size(), i -> made[i] = make(group.get(i), c, seed));   // tensors are independent
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < made.length; i++) {
                tensors.put(group.get(i).name(), made[i]);
                weightMap.put(group.get(i).name(), file);
                total += group.get(i).numel() * dtype.byteSize();
            }
            writer.write(dir.resolve(file), tensors);
        }
        ObjectMapper json = new ObjectMapper();
        writeText(dir.resolve("config.json"), json.valueToTree(c.toHfJson(torchDtype)).toPrettyString());
        if (shards.size() > 1) {
            ObjectNode index = json.createObjectNode();
            index.putObject("metadata").put("total_size", total);
            ObjectNode map = index.putObject("weight_map");
            weightMap.forEach(map::put);
            writeText(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
        }
    }

    /**
     * The same initialization in memory, f32, HF names (for training from scratch:
     * {@code MixtralForCausalLM.load(Weights.ofMap(MixtralInit.tensors(c, seed)), c)}).
     */
    public static Map<String, Tensor> tensors(MixtralConfig c, long seed) {
        List<Spec> specs = specs(c);
        Tensor[] made = new Tensor[specs.size()];
        Parallel.forEach(specs.size(), i -> made[i] = make(specs.get(i), c, seed));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < made.length; i++) out.put(specs.get(i).name(), made[i]);
        return out;
    }

    /**
     * Trains a byte-level BPE ({@link BpeTrainer}) of at most {@code vocab} ids on {@code corpus}
     * (a text file; null: a short built-in English sample) and writes {@code tokenizer.json}.
     * Specials {@code <unk>}, {@code <s>}, {@code </s>} get ids 0, 1, 2 (Mixtral's unk, BOS, EOS).
     */
    public static TrainedBpe writeTokenizer(Path dir, int vocab, Path corpus) {
        BpeTrainer trainer = new BpeTrainer(vocab, List.of("<unk>", "<s>", "</s>"), 2);
        if (corpus != null) trainer.feedFile(corpus);
        else trainer.feed(SAMPLE_TEXT);
        TrainedBpe bpe = trainer.train();
        bpe.writeTokenizerJson(dir.resolve("tokenizer.json"));
        return bpe;
    }

    /** Enough English for a few hundred merges when no corpus is given. */
    private static final String SAMPLE_TEXT = """
            A mixture of experts replaces the feed-forward block of a transformer with several experts and a router.
            For every token the router scores each expert, keeps the two best, and mixes their outputs with weights
            that sum to one. Only the chosen experts run, so the model holds many parameters but spends the compute
            of a much smaller one. The experts share the attention layers, the embeddings and the output head.
            Training adds a small loss that keeps the router from sending every token to the same expert.
            The quick brown fox jumps over the lazy dog. The weather was cold and the river ran fast under the bridge.
            She opened the window, looked at the garden, and wrote three lines in her notebook before breakfast.
            Numbers such as 12, 345 and 6789 appear in text, and so do dates like 2024-01-08 and times like 10:45.
            public static int add(int a, int b) { return a + b; } // code is text too
            """;

    private static List<Spec> specs(MixtralConfig c) {
        int h = c.hiddenSize(), inter = c.intermediateSize(), hd = c.headDim();
        List<Spec> out = new ArrayList<>();
        out.add(new Spec("model.embed_tokens.weight", new int[]{c.vocabSize(), h}, false));
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            out.add(new Spec(p + "input_layernorm.weight", new int[]{h}, true));
            out.add(new Spec(p + "self_attn.q_proj.weight", new int[]{c.numAttentionHeads() * hd, h}, false));
            out.add(new Spec(p + "self_attn.k_proj.weight", new int[]{c.numKeyValueHeads() * hd, h}, false));
            out.add(new Spec(p + "self_attn.v_proj.weight", new int[]{c.numKeyValueHeads() * hd, h}, false));
            out.add(new Spec(p + "self_attn.o_proj.weight", new int[]{h, c.numAttentionHeads() * hd}, false));
            out.add(new Spec(p + "post_attention_layernorm.weight", new int[]{h}, true));
            out.add(new Spec(p + "block_sparse_moe.gate.weight", new int[]{c.numLocalExperts(), h}, false));
            for (int e = 0; e < c.numLocalExperts(); e++) {
                String x = p + "block_sparse_moe.experts." + e + ".";
                out.add(new Spec(x + "w1.weight", new int[]{inter, h}, false));
                out.add(new Spec(x + "w2.weight", new int[]{h, inter}, false));
                out.add(new Spec(x + "w3.weight", new int[]{inter, h}, false));
            }
        }
        out.add(new Spec("model.norm.weight", new int[]{h}, true));
        if (!c.tieWordEmbeddings()) out.add(new Spec("lm_head.weight", new int[]{c.vocabSize(), h}, false));
        return out;
    }

    /** Consecutive tensors grouped into shards of at most {@code shardBytes} stored bytes. */
    private static List<List<Spec>> plan(List<Spec> specs, DType dtype, long shardBytes) {
        List<List<Spec>> shards = new ArrayList<>();
        List<Spec> current = new ArrayList<>();
        long bytes = 0;
        for (Spec s : specs) {
            long b = s.numel() * dtype.byteSize();
            if (!current.isEmpty() && bytes + b > shardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(s);
            bytes += b;
        }
        if (!current.isEmpty()) shards.add(current);
        return shards;
    }

    private static Tensor make(Spec s, MixtralConfig c, long seed) {
        if (s.ones()) return Tensor.ones(s.shape());
        long nameSeed = seed * 0x9E3779B97F4A7C15L ^ s.name().hashCode();
        return Randoms.normal(new Rng(nameSeed), 0f, (float) c.initializerRange(), s.shape());
    }

    private static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException("moe init: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
