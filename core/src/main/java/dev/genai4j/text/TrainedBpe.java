package dev.genai4j.text;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link BpeTrainer#train()}: token strings by id (specials first, then the 256
 * bytes, then merges, all but the specials in the byte-level alphabet) and the merges in the
 * order learned (each a pair of ids; rank = position).
 *
 * <pre>{@code
 * TrainedBpe bpe = trainer.train();
 * bpe.writeTokenizerJson(dir.resolve("tokenizer.json"));
 * try (HfTokenizer tok = HfTokenizer.load(dir)) { ... }
 * }</pre>
 */
public record TrainedBpe(List<String> specialTokens, List<String> tokens, List<int[]> merges) {

    public TrainedBpe {
        specialTokens = List.copyOf(specialTokens);
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
    }

    public int vocabSize() { return tokens.size(); }

    /** Merge {@code rank} as HF writes it: the two token strings separated by a space. */
    public String mergeString(int rank) {
        int[] m = merges.get(rank);
        return tokens.get(m[0]) + " " + tokens.get(m[1]);
    }

    /**
     * Writes a HF {@code tokenizer.json} (BPE model, Split + ByteLevel pre-tokenizer, ByteLevel
     * decoder, specials as added tokens) to {@code file} atomically: a temp file in the same
     * folder, then a rename, so a reader never sees half a file.
     */
    public void writeTokenizerJson(Path file) {
        TokenizerJsonWriter.write(this, file);
    }
}
