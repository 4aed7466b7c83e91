package dev.genai4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Builds the silver NER set from the installed WordNet and GCIDE into a folder:
 * {@code train.json}, {@code dev.json}, {@code test.json}, {@code zeroshot.json} (GLiNER format)
 * and {@code silver.json} (held-out types, counts, settings). Deterministic for a given seed and
 * corpus; takes about half a minute.
 *
 * <pre>{@code
 * SilverNerBuilder.Result r = SilverNerBuilder.build(Path.of("runs/gliner/data"), SilverNer.SplitConfig.defaults(), 64, System.err);
 * }</pre>
 */
public final class SilverNerBuilder {
    public static final String TRAIN = "train.json", DEV = "dev.json", TEST = "test.json", ZERO_SHOT = "zeroshot.json", META = "silver.json";

    private SilverNerBuilder() {}

    /** The written folder and the split. */
    public record Result(Path dir, SilverNer.Dataset data) {}

    /** True when {@code dir} already holds a complete set. */
    public static boolean exists(Path dir) {
        for (String f : List.of(TRAIN, DEV, TEST, ZERO_SHOT, META)) if (!Files.isRegularFile(dir.resolve(f))) return false;
        return true;
    }

    /** Annotates every sentence of the installed WordNet glosses and GCIDE of at most {@code maxWords} words. */
    public static List<NerExample> annotateAll(SilverNer ner, WordNetGlosses wordnet, Gcide gcide, int maxWords) {
        List<NerExample> out = new ArrayList<>();
        try (Stream<WordNetSynset> s = wordnet.synsets()) {
            s.forEach(x -> {
                for (String sentence : SilverNer.glossSentences(x.gloss())) add(ner, sentence, "wordnet", maxWords, out);
            });
        }
        if (gcide != null) {
            try (Stream<GcideEntry> s = gcide.entries()) {
                s.forEach(x -> {
                    for (String sentence : SilverNer.gcideSentences(x.text())) add(ner, sentence, "gcide", maxWords, out);
                });
            }
        }
        return out;
    }

    private static void add(SilverNer ner, String sentence, String source, int maxWords, List<NerExample> out) {
        List<String> words = NerWords.split(sentence);
        if (words.size() < 3 || words.size() > maxWords) return;
        NerExample e = ner.annotate(words, source);
        if (e != null) out.add(e);
    }

    /** Builds the set from the installed corpora into {@code dir} and writes it. */
    public static Result build(Path dir, SilverNer.SplitConfig split, int maxWords, PrintStream log) {
        long t0 = System.nanoTime();
        WordNetNounGraph graph = WordNetNounGraph.openDefault();
        SilverNer ner = SilverNer.from(graph);
        List<NerExample> all = annotateAll(ner, WordNetGlosses.openDefault(), Gcide.openDefault(), maxWords);
        SilverNer.Dataset d = SilverNer.split(all, split);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("silver NER: cannot create " + dir + ": " + e.getMessage(), e);
        }
        NerJson.write(dir.resolve(TRAIN), d.train());
        NerJson.write(dir.resolve(DEV), d.dev());
        NerJson.write(dir.resolve(TEST), d.test());
        NerJson.write(dir.resolve(ZERO_SHOT), d.zeroShot());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode meta = json.createObjectNode();
        meta.put("names", ner.nameCount()).put("annotated_sentences", all.size()).put("train", d.train().size())
                .put("dev", d.dev().size()).put("test", d.test().size()).put("zeroshot", d.zeroShot().size())
                .put("seed", split.seed()).put("max_words", maxWords);
        d.heldOutTypes().forEach(meta.putArray("held_out_types")::add);
        try {
            Files.write(dir.resolve(META), json.writeValueAsBytes(meta));
        } catch (IOException e) {
            throw new DataException("silver NER: cannot write " + dir.resolve(META) + ": " + e.getMessage(), e);
        }
        log.printf(Locale.ROOT, "silver NER: %d names, %d annotated sentences -> train %d, dev %d, test %d, zero-shot %d (held-out types %s) in %.1f s%n",
                ner.nameCount(), all.size(), d.train().size(), d.dev().size(), d.test().size(), d.zeroShot().size(), d.heldOutTypes(),
                (System.nanoTime() - t0) / 1e9);
        return new Result(dir, d);
    }

    /** Reads the held-out types of a built set. */
    public static List<String> heldOutTypes(Path dir) {
        try {
            List<String> out = new ArrayList<>();
            new ObjectMapper().readTree(dir.resolve(META).toFile()).path("held_out_types").forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new DataException("silver NER: cannot read " + dir.resolve(META) + ": " + e.getMessage(), e);
        }
    }
}
