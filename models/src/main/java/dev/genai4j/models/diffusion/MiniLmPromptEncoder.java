package dev.genai4j.models.diffusion;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.bert.BertModel;
import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.HfTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real, frozen all-MiniLM-L6-v2 sentence encoder (the same folder {@code genai4j embed} uses,
 * under {@code ~/.cache/genai4j/models}) as the diffusion model's text tower: the last hidden
 * states [T, 384] of the prompt, padded ([PAD] positions still carry states computed under the
 * attention mask) or truncated to a fixed number of tokens.
 *
 * <pre>{@code
 * try (PromptEncoder enc = MiniLmPromptEncoder.load("all-minilm-l6-v2", 16)) {
 *     float[] states = enc.encode("a photo of a sneaker");   // 16 × 384
 * }
 * }</pre>
 */
public final class MiniLmPromptEncoder implements PromptEncoder {
    public static final String DEFAULT = "all-minilm-l6-v2";

    private final String name;
    private final BertModel model;
    private final HfTokenizer tokenizer;
    private final EncodeOptions options;
    private final int length;

    private MiniLmPromptEncoder(String name, BertModel model, HfTokenizer tokenizer, int length) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.length = length;
        this.options = EncodeOptions.defaults().padToLength(length).maxLength(length, EncodeOptions.Overflow.TRUNCATE);
    }

    /** A known model name (fetched and converted once by {@link ModelStore}) or an HF folder with tokenizer.json. */
    public static MiniLmPromptEncoder load(String nameOrDir, int length) {
        if (length < 2) throw new DiffusionException("text encoder: token length must be ≥ 2 ([CLS] and [SEP]), got " + length);
        Path dir = Files.isDirectory(Path.of(nameOrDir)) ? Path.of(nameOrDir) : ModelStore.get(nameOrDir);
        Path tok = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tok)) throw new CheckpointException("text encoder: " + dir + " has no tokenizer.json");
        BertModel m = BertModel.load(dir);
        try {
            return new MiniLmPromptEncoder(nameOrDir, m, HfTokenizer.load(tok), length);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override public int dim() { return model.config().hiddenSize(); }

    @Override public int length() { return length; }

    @Override public String name() { return name; }

    @Override
    public float[] encode(String prompt) {
        if (prompt == null || prompt.isBlank()) throw new DiffusionException("prompt is empty; give a text such as \"a photo of a sneaker\"");
        List<Encoding> enc = tokenizer.encodeBatch(List.of(prompt), options);
        Tensor[] in = Embedder.toTensors(enc);
        try (var g = NoGrad.enter()) {
            return model.forward(in[0], in[1], in[2]).toFloatArray();     // [1, T, H]
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
