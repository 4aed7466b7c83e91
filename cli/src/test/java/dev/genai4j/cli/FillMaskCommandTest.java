package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.models.modernbert.FillMask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.*;

/** {@code genai4j fill-mask} on the models module's classic_fp32 ModernBERT fixture with a WordLevel tokenizer. */
class FillMaskCommandTest {
    @TempDir static Path dir;

    @BeforeAll
    static void prepare() throws IOException { prepare(dir); }

    /** Writes the fixture model (config, weights, WordLevel tokenizer) into {@code dir}. */
    static void prepare(Path dir) throws IOException {
        Path src = Path.of("../models/src/test/resources/fixtures/modernbert/classic_fp32");
        assertTrue(Files.isDirectory(src), "fixture missing: " + src.toAbsolutePath());
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        StringJoiner vocab = new StringJoiner(",");
        String[] named = {"[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]", "the", "capital", "of", "france", "is", "paris", "."};
        for (int i = 0; i < 128; i++) vocab.add("\"" + (i < named.length ? named[i] : "tok" + i) + "\":" + i);
        StringJoiner added = new StringJoiner(",");
        for (int i = 0; i < 5; i++) {
            added.add("{\"id\":" + i + ",\"content\":\"" + named[i] + "\",\"single_word\":false,\"lstrip\":false,"
                    + "\"rstrip\":false,\"normalized\":false,\"special\":true}");
        }
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[" + added + "],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},"
                + "\"post_processor\":{\"type\":\"TemplateProcessing\","
                + "\"single\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}],"
                + "\"pair\":[{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"Sequence\":{\"id\":\"B\",\"type_id\":1}}],"
                + "\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[1],\"tokens\":[\"[CLS]\"]},"
                + "\"[SEP]\":{\"id\":\"[SEP]\",\"ids\":[2],\"tokens\":[\"[SEP]\"]}}},"
                + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"[UNK]\"}}";
        Files.writeString(dir.resolve("tokenizer.json"), json);
    }

    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void jsonOutputMatchesTheApi() throws IOException {
        String text = "the capital of france is [MASK] .";
        int[] rc = new int[1];
        String printed = run(rc, "fill-mask", "--model", dir.toString(), "--top-k", "3", "--json", text);
        assertEquals(0, rc[0], printed);
        JsonNode arr = new ObjectMapper().readTree(printed);
        assertEquals(3, arr.size(), printed);
        List<FillMask.Prediction> api;
        try (FillMask fm = FillMask.load(dir)) {
            api = fm.predict(text, 3).getFirst();
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(api.get(i).tokenId(), arr.get(i).get("token").asInt());
            assertEquals(api.get(i).score(), arr.get(i).get("score").floatValue(), 1e-6f);
            assertEquals(api.get(i).sequence(), arr.get(i).get("sequence").asText());
        }
    }

    @Test
    void plainOutputHasOneLinePerPrediction() {
        int[] rc = new int[1];
        String printed = run(rc, "fill-mask", "--model", dir.toString(), "the capital of france is [MASK] .");
        assertEquals(0, rc[0], printed);
        assertEquals(5, printed.strip().split("\n").length, printed);
    }

    @Test
    void textWithoutMaskFailsWithExitCode2() {
        int[] rc = new int[1];
        String printed = run(rc, "fill-mask", "--model", dir.toString(), "no mask here");
        assertEquals(2, rc[0]);
        assertTrue(printed.contains("no mask token"), printed);
    }

    @Test
    void missingFolderFailsWithExitCode4() {
        int[] rc = new int[1];
        String printed = run(rc, "fill-mask", "--model", dir.resolve("nope").toString(), "[MASK]");
        assertEquals(ExitCodes.MISSING, rc[0]);
        assertTrue(printed.contains("nope"), printed);
    }
}
