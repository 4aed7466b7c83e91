package dev.genai4j.models.mlm;

import dev.genai4j.data.CorpusDomain;
import dev.genai4j.data.PackedSequences;
import dev.genai4j.data.TextCorpus;
import dev.genai4j.text.BpeTrainer;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.HfTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of an MLM run: the byte-level BPE tokenizer (trained on the training split of every
 * domain, cached as {@code tokenizer.json} in the run folder so a resumed run reuses it), and
 * per domain the training documents packed into {@code [CLS] … [SEP]} blocks and the held-out
 * documents packed the same way.
 *
 * <pre>{@code
 * try (MlmCorpus data = MlmCorpus.prepare(corpus, Path.of("run/tokenizer.json"), 4096, 128, System.err)) {
 *     List<int[]> blocks = data.trainBlocks();     // each [128]
 * }
 * }</pre>
 */
public final class MlmCorpus implements AutoCloseable {
    /** The special tokens, ids 0–4 in this order. */
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    public static final int PAD_ID = 0, UNK_ID = 1, CLS_ID = 2, SEP_ID = 3, MASK_ID = 4;
    /** Documents per call into the tokenizer library. */
    private static final int ENCODE_CHUNK = 512;

    private final HfTokenizer tokenizer;
    private final Map<String, List<int[]>> trainBlocks;
    private final Map<String, List<int[]>> heldOutBlocks;

    private MlmCorpus(HfTokenizer tokenizer, Map<String, List<int[]>> train, Map<String, List<int[]>> heldOut) {
        this.tokenizer = tokenizer;
        this.trainBlocks = train;
        this.heldOutBlocks = heldOut;
    }

    /**
     * Loads the tokenizer at {@code tokenizerFile}, or trains one on the training documents and
     * writes it there first; then tokenizes and packs every domain of {@code corpus}.
     */
    public static MlmCorpus prepare(TextCorpus corpus, Path tokenizerFile, int vocabSize, int seqLen, java.io.PrintStream log) {
        if (!Files.isRegularFile(tokenizerFile)) {
            long t0 = System.nanoTime();
            BpeTrainer bpe = new BpeTrainer(vocabSize, SPECIALS, 2);
            for (CorpusDomain d : corpus.domains().values()) for (String doc : d.train()) bpe.feed(doc);
            bpe.train().writeTokenizerJson(tokenizerFile);
            log.printf("mlm: trained a %d-token BPE in %.1f s → %s%n", vocabSize, (System.nanoTime() - t0) / 1e9, tokenizerFile);
        }
        HfTokenizer tok = HfTokenizer.load(tokenizerFile);
        try {
            PackedSequences packer = PackedSequences.forMlm(seqLen, CLS_ID, SEP_ID);
            Map<String, List<int[]>> train = new LinkedHashMap<>(), heldOut = new LinkedHashMap<>();
            for (CorpusDomain d : corpus.domains().values()) {
                train.put(d.name(), packer.pack(encode(tok, d.train())));
                heldOut.put(d.name(), packer.pack(encode(tok, d.heldOut())));
            }
            return new MlmCorpus(tok, train, heldOut);
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /** Token ids of each document, without specials. */
    public static List<int[]> encode(HfTokenizer tok, List<String> docs) {
        EncodeOptions plain = EncodeOptions.defaults().addSpecialTokens(false);
        List<int[]> out = new ArrayList<>(docs.size());
        for (int from = 0; from < docs.size(); from += ENCODE_CHUNK) {
            List<String> chunk = docs.subList(from, Math.min(docs.size(), from + ENCODE_CHUNK)).stream()
                    .filter(s -> !s.isBlank()).toList();
            if (chunk.isEmpty()) continue;
            for (Encoding e : tok.encodeBatch(chunk, plain)) out.add(e.ids());
        }
        return out;
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
