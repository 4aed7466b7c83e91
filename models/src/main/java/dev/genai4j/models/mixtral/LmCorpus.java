package dev.genai4j.models.mixtral;

import dev.genai4j.data.CorpusDomain;
import dev.genai4j.data.PackedSequences;
import dev.genai4j.data.TextCorpus;
import dev.genai4j.models.mlm.MlmCorpus;
import dev.genai4j.text.BpeTrainer;
import dev.genai4j.text.HfTokenizer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data of a causal-LM run: a byte-level BPE trained on the training split of every domain
 * (specials {@code <unk>}, {@code <s>}, {@code </s>} at ids 0–2, as Mixtral; cached as
 * {@code tokenizer.json} in the run folder so a resumed run reuses it), and per domain the
 * documents packed GPT-style into blocks with {@code </s>} after each document.
 *
 * <pre>{@code
 * try (LmCorpus data = LmCorpus.prepare(corpus, Path.of("run/tokenizer.json"), 4096, 128, System.err)) {
 *     List<int[]> blocks = data.trainBlocks();     // each [128]
 * }
 * }</pre>
 */
public final class LmCorpus implements AutoCloseable {
    public static final List<String> SPECIALS = List.of("<unk>", "<s>", "</s>");
    public static final int UNK_ID = 0, BOS_ID = 1, EOS_ID = 2;

    private final HfTokenizer tokenizer;
    private final Map<String, List<int[]>> trainBlocks;
    private final Map<String, List<int[]>> heldOutBlocks;

    private LmCorpus(HfTokenizer tokenizer, Map<String, List<int[]>> train, Map<String, List<int[]>> heldOut) {
        this.tokenizer = tokenizer;
        this.trainBlocks = train;
        this.heldOutBlocks = heldOut;
    }

    /**
     * Loads the tokenizer at {@code tokenizerFile}, or trains one on the training documents and
     * writes it there first; then tokenizes and packs every domain of {@code corpus}.
     */
    public static LmCorpus prepare(TextCorpus corpus, Path tokenizerFile, int vocabSize, int seqLen, PrintStream log) {
        if (!Files.isRegularFile(tokenizerFile)) {
            long t0 = System.nanoTime();
            BpeTrainer bpe = new BpeTrainer(vocabSize, SPECIALS, 2);
            for (CorpusDomain d : corpus.domains().values()) for (String doc : d.train()) bpe.feed(doc);
            bpe.train().writeTokenizerJson(tokenizerFile);
            log.printf(Locale.ROOT, "lm: trained a %d-token BPE in %.1f s → %s%n", vocabSize, (System.nanoTime() - t0) / 1e9, tokenizerFile);
        }
        HfTokenizer tok = HfTokenizer.load(tokenizerFile);
        try {
            PackedSequences packer = PackedSequences.forLm(seqLen, EOS_ID);
            Map<String, List<int[]>> train = new LinkedHashMap<>(), heldOut = new LinkedHashMap<>();
            for (CorpusDomain d : corpus.domains().values()) {
                train.put(d.name(), packer.pack(MlmCorpus.encode(tok, d.train())));
                heldOut.put(d.name(), packer.pack(MlmCorpus.encode(tok, d.heldOut())));
            }
            return new LmCorpus(tok, train, heldOut);
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    public HfTokenizer tokenizer() { return tokenizer; }

    /** Training blocks of every domain, domain after domain (the batcher shuffles them). */
    public List<int[]> trainBlocks() {
        List<int[]> all = new ArrayList<>();
        trainBlocks.values().forEach(all::addAll);
        return all;
    }

    /** Training blocks per domain. */
    public Map<String, List<int[]>> trainBlocksByDomain() { return trainBlocks; }

    /** Held-out blocks per domain. */
    public Map<String, List<int[]>> heldOutBlocks() { return heldOutBlocks; }

    @Override
    public void close() { tokenizer.close(); }
}
