package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j ner} and {@code genai4j check} on the models module's GLiNER reference case. */
class NerCommandTest {
    static final String CASE = "../models/src/test/resources/fixtures/gliner/bert_lstm_markerV0_fp32";

    private static String[] run(int[] rc, String... args) {
        return CliRun.outErr(rc, args);
    }

    @Test
    void jsonMatchesReferenceEntities() throws Exception {
        int[] rc = new int[1];
        String text = "Microsoft's CEO, Satya Nadella, announced a state-of-the-art AI lab in Zürich with São Paulo-based partners.";
        String[] r = run(rc, "ner", "--model", CASE, "--labels", "person, organization,location", "--threshold", "0.3", "--json", text);
        assertEquals(0, rc[0], r[1]);
        JsonNode got = new ObjectMapper().readTree(r[0]);
        JsonNode want = new ObjectMapper().readTree(Path.of(CASE, "expected_entities.json").toFile()).get("entities").get(1);
        assertEquals(want.size(), got.size(), r[0]);
        for (int i = 0; i < want.size(); i++) {
            for (String k : new String[]{"start", "end", "text", "label"}) assertEquals(want.get(i).get(k), got.get(i).get(k), k);
            assertEquals(want.get(i).get("score").asDouble(), got.get(i).get("score").asDouble(), 1e-4);
        }
    }

    /** --jsonl: one line out per line in, input fields kept, per-line labels used, same entities as the single-text path. */
    @Test
    void jsonlKeepsOrderFieldsAndPerLineLabels(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in.jsonl");
        String t1 = "Barack Obama met Angela Merkel at the Brandenburg Gate in Berlin on Tuesday.";
        String t2 = "Microsoft's CEO, Satya Nadella, announced a state-of-the-art AI lab in Zürich with São Paulo-based partners.";
        Files.writeString(in, "{\"id\":7,\"text\":\"" + t2 + "\"}\n{\"text\":\"   \"}\n{\"text\":\"" + t1 + "\",\"labels\":[\"person\"]}\n");
        int[] rc = new int[1];
        String[] r = run(rc, "ner", "--model", CASE, "--labels", "person,organization,location", "--threshold", "0.3", "--jsonl", in.toString());
        assertEquals(0, rc[0], r[1]);
        String[] lines = r[0].strip().split("\n");
        assertEquals(3, lines.length, r[0]);
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(lines[0]);
        assertEquals(7, first.get("id").asInt());
        JsonNode want = m.readTree(Path.of(CASE, "expected_entities.json").toFile()).get("entities").get(1);
        assertEquals(want.size(), first.get("entities").size());
        for (int i = 0; i < want.size(); i++) assertEquals(want.get(i).get("text"), first.get("entities").get(i).get("text"));
        assertEquals(0, m.readTree(lines[1]).get("entities").size());
        // with "person" alone the prompt differs, so compare with the single-text command under the same labels
        String[] single = run(rc, "ner", "--model", CASE, "--labels", "person", "--threshold", "0.3", "--json", t1);
        assertEquals(m.readTree(single[0]), m.readTree(lines[2]).get("entities"));
        Files.writeString(in, "{\"text\": 5}\n");
        r = run(rc, "ner", "--model", CASE, "--labels", "person", "--jsonl", in.toString());
        assertEquals(2, rc[0]);
        assertTrue(r[1].contains("line 1") && r[1].contains("\"text\""), r[1]);
    }

    @Test
    void badInputIsAMessageNotATrace() {
        int[] rc = new int[1];
        String[] r = run(rc, "ner", "--model", CASE, "--labels", "person,,city", "Paris");
        assertEquals(2, rc[0]);
        assertTrue(r[1].contains("empty label") && !r[1].contains("\tat "), r[1]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        r = run(rc, "ner", "--model", CASE, "--labels", "person", "--flat", "--nested", "Paris");
        assertEquals(2, rc[0], "--flat and --nested exclude each other");
        r = run(rc, "ner", "--model", "no/such/folder", "--labels", "person", "Paris");
        assertEquals(ExitCodes.MISSING, rc[0]);
        assertTrue(r[1].contains("model folder not found") && r[1].contains("no/such/folder"), r[1]);
    }

    /** --json offsets count code points (Python str indices): an emoji is one character, CJK too. */
    @Test
    void jsonOffsetsAreCodePoints() throws Exception {
        int[] rc = new int[1];
        String text = "😀😀 東京 and Zürich 🎉 Paris";
        String[] r = run(rc, "ner", "--model", CASE, "--labels", "location", "--threshold", "0", "--json", text);
        assertEquals(0, rc[0], r[1]);
        JsonNode got = new ObjectMapper().readTree(r[0]);
        assertTrue(got.size() > 0, r[0]);
        int covered = 0;
        for (JsonNode e : got) {
            int from = text.offsetByCodePoints(0, e.get("start").asInt()), to = text.offsetByCodePoints(0, e.get("end").asInt());
            assertEquals(text.substring(from, to), e.get("text").asText(), e.toString());
            covered = Math.max(covered, e.get("end").asInt());
        }
        // threshold 0, flat: the entities reach the last word, whose end is the code-point length (UTF-16 length is 3 more)
        assertEquals(text.codePointCount(0, text.length()), covered);
        assertEquals(text.length() - 3, covered);
    }

    /** A checkpoint that cannot run: one line naming the key and the value, exit 2. */
    @Test
    void badCheckpointConfigIsOneLine(@TempDir Path tmp) throws Exception {
        for (Path f : Files.list(Path.of(CASE)).toList()) Files.copy(f, tmp.resolve(f.getFileName()));
        Path cfg = tmp.resolve("gliner_config.json");
        String orig = Files.readString(cfg);
        int[] rc = new int[1];
        Files.writeString(cfg, orig.replace("\"span_mode\": \"markerV0\"", "\"span_mode\": \"spiral\""));
        String[] r = run(rc, "ner", "--model", tmp.toString(), "--labels", "person", "Paris");
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].contains("span_mode 'spiral' is unknown"), r[1]);
        // a DeBERTa-v2-xlarge-style backbone (its convolution layer) cannot run: the field is named
        Files.writeString(cfg, orig.replace("\"model_type\": \"bert\"", "\"model_type\": \"deberta-v2\", \"conv_kernel_size\": 3"));
        r = run(rc, "ner", "--model", tmp.toString(), "--labels", "person", "Paris");
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].contains("conv_kernel_size 3") && r[1].contains("not supported"), r[1]);
    }

    /** check passes on the case, and fails once expected_entities.json disagrees (only there). */
    @Test
    void checkComparesEntities(@TempDir Path tmp) throws Exception {
        int[] rc = new int[1];
        run(rc, "check", CASE);
        assertEquals(0, rc[0]);
        for (Path f : Files.list(Path.of(CASE)).toList()) Files.copy(f, tmp.resolve(f.getFileName()));
        Path ents = tmp.resolve("expected_entities.json");
        String s = Files.readString(ents);
        Files.delete(ents);
        Files.writeString(ents, s.replace("\"label\": \"organization\"", "\"label\": \"person\""));
        run(rc, "check", tmp.toString());
        assertNotEquals(0, rc[0], "a wrong label in expected_entities.json must fail the check");
    }
}
