package dev.genai4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.bert.onnx.ModelStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The models the server tests serve: real MiniLM (converted once into target/genai4j-home), the
 * models module's tiny GLiNER fixture, and its tiny ModernBERT masked-LM with a WordLevel
 * tokenizer written here, a tiny random Mixtral with a byte-level BPE tokenizer (the
 * {@code genai4j moe init} code path) and the models module's tiny CLIP fixture with its test
 * tokenizer. Everything lives under target/server-models, the tests' model root.
 */
final class TestModels {
    static final String[] SPECIALS = {"[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"};
    static final String[] WORDS = {"the", "capital", "of", "france", "is", "paris", "."};
    private static Path root;

    private TestModels() {}

    static Path fixtures() {
        String p = System.getProperty("genai4j.fixtures");
        if (p == null) throw new IllegalStateException("-Dgenai4j.fixtures is not set (the server pom sets it for surefire)");
        return Path.of(p);
    }

    static Path miniLm() { return ModelStore.get("all-minilm-l6-v2"); }

    private static dev.genai4j.models.bert.Embedder reference;

    /**
     * MiniLM loaded once per test JVM, apart from any server's copy: the reference the servers'
     * vectors are compared with (loading it per class costs seconds on a busy machine). Never closed.
     */
    static synchronized dev.genai4j.models.bert.Embedder reference() {
        if (reference == null) reference = dev.genai4j.models.bert.Embedder.load(miniLm());
        return reference;
    }

    /** target/server-models with gliner-tiny/ and modernbert-tiny/ in it. */
    static synchronized Path root() {
        if (root != null) return root;
        try {
            Path r = Files.createDirectories(Path.of("target", "server-models").toAbsolutePath());
            Path gliner = Files.createDirectories(r.resolve("gliner-tiny"));
            Path src = fixtures().resolve("gliner").resolve("bert_lstm_markerV0_fp32");
            for (String f : new String[]{"gliner_config.json", "model.safetensors", "tokenizer.json"}) copy(src.resolve(f), gliner.resolve(f));
            Path mlm = Files.createDirectories(r.resolve("modernbert-tiny"));
            Path msrc = fixtures().resolve("modernbert").resolve("classic_fp32");
            copy(msrc.resolve("config.json"), mlm.resolve("config.json"));
            copy(msrc.resolve("model.safetensors"), mlm.resolve("model.safetensors"));
            writeWordLevelTokenizer(mlm);
            writeTinyMixtral(r.resolve("moe-tiny"));
            writeTinyPointE(r.resolve("pointe-tiny"));
            Path clip = Files.createDirectories(r.resolve("clip-tiny"));
            Path csrc = fixtures().resolve("clip").resolve("eos_rule_fp32");
            copy(csrc.resolve("config.json"), clip.resolve("config.json"));
            copy(csrc.resolve("model.safetensors"), clip.resolve("model.safetensors"));
            copy(fixtures().getParent().resolve("clip").resolve("tokenizer.json"), clip.resolve("tokenizer.json"));
            root = r;
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path lm() { return root().resolve("moe-tiny"); }

    static Path clip() { return root().resolve("clip-tiny"); }

    /** Context of the tiny Mixtral: long enough for a stream a test can walk away from. */
    static final int LM_CONTEXT = 4096;

    /**
     * A random 2-layer, 4-expert (top-2) Mixtral whose vocabulary is its tokenizer's, so every
     * generated id spells text. Written once per build folder (its files are deterministic).
     */
    private static void writeTinyMixtral(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("model.safetensors")) && Files.isRegularFile(dir.resolve("tokenizer.json"))) return;
        Files.createDirectories(dir);
        var bpe = dev.genai4j.models.mixtral.MixtralInit.writeTokenizer(dir, 300, null);
        java.util.Map<String, Object> cfg = new java.util.LinkedHashMap<>();
        cfg.put("model_type", "mixtral");
        cfg.put("vocab_size", bpe.vocabSize());
        cfg.put("hidden_size", 32);
        cfg.put("intermediate_size", 48);
        cfg.put("num_hidden_layers", 2);
        cfg.put("num_attention_heads", 4);
        cfg.put("num_key_value_heads", 2);
        cfg.put("max_position_embeddings", LM_CONTEXT);
        cfg.put("num_local_experts", 4);
        cfg.put("num_experts_per_tok", 2);
        cfg.put("bos_token_id", 1);
        cfg.put("eos_token_id", 2);
        var c = dev.genai4j.models.mixtral.MixtralConfig.fromJson(dev.genai4j.io.JsonConfig.of(cfg));
        dev.genai4j.models.mixtral.MixtralInit.write(dir, c, dev.genai4j.tensor.DType.F32, 7L, 1L << 30);
    }

    static Path pointe() { return root().resolve("pointe-tiny"); }

    /** Points in every cloud of the tiny Point-E model (its n_ctx). */
    static final int POINTE_POINTS = 64;

    /**
     * A random-weight base Point-E model as 'genai4j train pointe' writes its model folder: 64 points, width
     * 32, one block, conditioned on a 2×2 grid of 8×8 pixel patches of a 16-pixel image, 64 timesteps. The
     * output projection is random too (a fresh model's is zero), so the cloud depends on the image.
     */
    private static void writeTinyPointE(Path dir) {
        if (Files.isRegularFile(dir.resolve("model.safetensors")) && Files.isRegularFile(dir.resolve("config.json"))) return;
        var grid = new dev.genai4j.models.pointe.train.PatchGrid(16, 8);
        var c = new dev.genai4j.models.pointe.PointEConfig(dev.genai4j.models.pointe.PointEConfig.Kind.GRID, 6, 12, POINTE_POINTS, 32, 1, 2, true, 0,
                grid.gridSize(), grid.featureDim());
        var rng = new dev.genai4j.tensor.Rng(5);
        java.util.Map<String, dev.genai4j.tensor.Tensor> w = dev.genai4j.models.pointe.train.PointEInit.weights(c, rng);
        w.put("output_proj.weight", dev.genai4j.tensor.Tensor.randn(rng, c.outputChannels(), c.width()).mul(0.05f).detach());
        java.util.Map<String, Object> cfg = new java.util.LinkedHashMap<>();
        cfg.put("name", "CLIPImageGridPointDiffusionTransformer");
        cfg.put("input_channels", c.inputChannels());
        cfg.put("output_channels", c.outputChannels());
        cfg.put("n_ctx", c.nCtx());
        cfg.put("width", c.width());
        cfg.put("layers", c.layers());
        cfg.put("heads", c.heads());
        cfg.put("time_token_cond", true);
        cfg.put("grid_size", c.gridSize());
        cfg.put("grid_feature_dim", c.gridFeatureDim());
        cfg.put("conditioning", grid.describe());
        cfg.put("diffusion", java.util.Map.of("schedule", "cosine", "timesteps", 64));
        dev.genai4j.io.CheckpointFolder.write(dir, cfg, w);
    }

    static Path gliner() { return root().resolve("gliner-tiny"); }

    static Path fillMask() { return root().resolve("modernbert-tiny"); }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.exists(to) || Files.size(to) != Files.size(from)) Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String token(int id) {
        if (id < SPECIALS.length) return SPECIALS[id];
        int w = id - SPECIALS.length;
        return w < WORDS.length ? WORDS[w] : "tok" + id;
    }

    /** The fixture's 128-token vocabulary as a WordLevel tokenizer.json, [CLS] $A [SEP]. */
    private static void writeWordLevelTokenizer(Path dir) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIALS.length; i++) {
            added.addObject().put("id", i).put("content", SPECIALS[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (int i = 1; i <= 2; i++) {
            ObjectNode s = specials.putObject(SPECIALS[i]);
            s.put("id", SPECIALS[i]);
            s.putArray("ids").add(i);
            s.putArray("tokens").add(SPECIALS[i]);
        }
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < 128; i++) vocab.put(token(i), i);
        model.put("unk_token", "[UNK]");
        Files.writeString(dir.resolve("tokenizer.json"), m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
