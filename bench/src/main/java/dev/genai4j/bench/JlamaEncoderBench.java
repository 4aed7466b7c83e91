package dev.genai4j.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.functions.Generator;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Our {@link Embedder} against Jlama 0.8.4's BERT embedding on the same all-MiniLM-L6-v2 folder,
 * at one thread count per process (Jlama fixes its thread count once per JVM): text in, mean-pooled
 * embedding out, tokenization included on both sides. Shapes as {@link EncoderBench}: one text of
 * 12 tokens, and 8 texts of 128 tokens (we run them as one batch; Jlama's API embeds one text at a
 * time). ratio = Jlama time / our time (≥ 1: we are faster).
 *
 * <p>Jlama's BERT loader insists on {@code pooler.dense.*}, which sentence-transformers exports (and
 * so our ONNX import) do not carry; mean pooling never reads it, so the benchmark gives Jlama a copy
 * of the folder with an identity pooler added. Its embeddings are checked against ours (cosine) so
 * that both sides demonstrably compute the same thing.
 *
 * <pre>{@code
 * JlamaEncoderBench.run("all-minilm-l6-v2", 2, false);
 * // jlama-encoder model=all-minilm-l6-v2 batch=1x12 threads=2 ours_ms=… jlama_ms=… ratio=… cosine=0.99999
 * }</pre>
 */
public final class JlamaEncoderBench {
    private static final String WORDS = "the quick brown fox jumps over the lazy dog while a small bird sings in the old tree "
            + "near the river and children play games on the green grass under a bright blue sky all day long ";

    private JlamaEncoderBench() {}

    /** Prints one line per shape at {@code threads} threads; returns the lines. */
    public static List<String> run(String model, int threads, boolean quick) throws IOException {
        Path folder = ModelStore.get(model);
        Path jlamaFolder = withIdentityPooler(folder);
        PhysicalCoreExecutor.overrideThreadCount(threads);
        AbstractModel jlama = ModelSupport.loadEmbeddingModel(jlamaFolder.toFile(), DType.F32, DType.F32);
        HfTokenizer tokenizer = HfTokenizer.load(folder.resolve("tokenizer.json"));
        List<String> lines = new ArrayList<>();
        try (Embedder ours = Embedder.load(folder)) {
            for (int[] shape : EncoderBench.SHAPES) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < shape[0]; i++) texts.add(textOfTokens(tokenizer, shape[1], i));
                float[][] mine = ours.embed(texts);
                double cosine = 1;
                for (int i = 0; i < texts.size(); i++) {
                    float[] theirs = jlama.embed(texts.get(i), Generator.PoolingType.AVG);
                    cosine = Math.min(cosine, Embedder.cosine(mine[i], theirs));
                }
                double[] ms = EncoderBench.medianMsInterleaved(quick,
                        () -> Parallel.withThreads(threads, () -> ours.embed(texts)),
                        () -> {
                            for (String t : texts) jlama.embed(t, Generator.PoolingType.AVG);
                        });
                String line = String.format(Locale.ROOT,
                        "jlama-encoder model=%s batch=%dx%d threads=%d ours_ms=%.2f jlama_ms=%.2f ratio=%.2f cosine=%.5f",
                        model, shape[0], shape[1], threads, ms[0], ms[1], ms[1] / ms[0], cosine);
                System.out.println(line);
                lines.add(line);
            }
        } finally {
            jlama.close();
        }
        return lines;
    }

    /** A text of plain words that our tokenizer (the same WordPiece vocabulary as Jlama's) makes exactly {@code tokens} ids of. */
    static String textOfTokens(HfTokenizer tokenizer, int tokens, int variant) {
        String[] words = WORDS.trim().split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; tokenizer.encode(sb.toString()).length() < tokens; i++) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(words[(i + 7 * variant) % words.length]);
        }
        String text = sb.toString();
        if (tokenizer.encode(text).length() != tokens)
            throw new IllegalStateException("could not build a text of exactly " + tokens + " tokens: got " + tokenizer.encode(text).length());
        return text;
    }

    /** A copy of {@code folder} (cached beside it) with {@code pooler.dense} = identity, zero bias, which Jlama requires. */
    static Path withIdentityPooler(Path folder) throws IOException {
        Path copy = folder.resolveSibling(folder.getFileName() + "-jlama");
        if (Files.exists(copy.resolve("model.safetensors"))) return copy;
        Files.createDirectories(copy);
        for (String f : new String[]{"config.json", "tokenizer.json"}) Files.copy(folder.resolve(f), copy.resolve(f),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Weights w = Weights.open(folder);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : w.names()) tensors.put(name, w.get(name));
        int hidden = tensors.get("embeddings.word_embeddings.weight").shape()[1];
        float[] eye = new float[hidden * hidden];
        for (int i = 0; i < hidden; i++) eye[i * hidden + i] = 1;
        tensors.put("pooler.dense.weight", Tensor.of(eye, hidden, hidden));
        tensors.put("pooler.dense.bias", Tensor.zeros(hidden));
        try {
            SafetensorsWriter.save(copy.resolve("model.safetensors"), tensors);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return copy;
    }
}
