package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code genai4j train clip --shapes} and {@code genai4j pointe rprec}: a tiny run end to end, and the errors on bad shape folders. */
class TrainClipShapesCommandTest {
    @Test
    void aTinyShapeRunSavesItsDataAndRPrecisionReadsIt(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path set = dir.resolve("set"), run = dir.resolve("run");
        String[] r = CliRun.outErr(rc, "pointe", "data", "-n", "6", "-o", set.toString(), "--points", "300", "--image-size", "8", "--seed", "4", "--pair-rate", "0");
        assertEquals(0, rc[0], r[1]);
        r = CliRun.outErr(rc, "train", "clip", "--output", run.toString(), "--shapes", set.toString(), "--shapes-hold-out", "2", "--steps", "2",
                "--warmup", "1", "--batch", "4", "--vision", "16,1,2", "--text-model", "16,1,2", "--projection", "16", "--vocab", "300", "--threads", "1");
        assertEquals(0, rc[0], r[1]);
        JsonNode c = new ObjectMapper().readTree(run.resolve("checkpoint/trainer_state.json").toFile()).get("config");
        assertEquals(set.toAbsolutePath().normalize().toString(), c.get("shapes").asText());
        assertEquals(2, c.get("shapesHoldOut").asInt());
        assertFalse(c.get("fashion").asBoolean() || c.get("twemoji").asBoolean(), c.toString());

        Path json = dir.resolve("rprec.json");
        r = CliRun.outErr(rc, "pointe", "rprec", "--data", set.toString(), "--hold-out", "2", "--clip-model", run.resolve("checkpoint").toString(),
                "--threads", "1", "-o", json.toString());
        assertEquals(0, rc[0], r[1]);
        JsonNode o = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, o.get("scenes").asInt());
        int pool = o.get("pool_size").asInt();
        assertTrue(pool == 1 || pool == 2, o.toString());
        assertEquals(1.0 / pool, o.get("chance").asDouble());
        for (JsonNode row : o.get("rows")) assertTrue(row.get("truth_clip_rank").asInt() >= 1 && row.get("truth_clip_rank").asInt() <= pool, row.toString());
        assertTrue(r[0].contains("pool: their " + pool + " distinct captions"), r[0]);
    }

    @Test
    void missingOrMalformedShapeFoldersAreNamedInTheError(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        String[] r = CliRun.outErr(rc, "train", "clip", "--output", dir.resolve("run").toString(), "--shapes", dir.resolve("absent").toString());
        assertNotEquals(0, rc[0]);
        assertTrue(r[1].contains("absent") && r[1].contains("pointe data"), r[1]);

        Path set = Files.createDirectories(dir.resolve("set"));
        r = CliRun.outErr(rc, "train", "clip", "--output", dir.resolve("run").toString(), "--shapes", set.toString());
        assertNotEquals(0, rc[0]);
        assertTrue(r[1].contains("captions.jsonl") && r[1].contains("not found"), r[1]);

        Files.writeString(set.resolve("captions.jsonl"), "{\"caption\": \"a red cube\", \"images\": [\"renders/0.png\"]}\n");
        r = CliRun.outErr(rc, "train", "clip", "--output", dir.resolve("run").toString(), "--shapes", set.toString(), "--shapes-hold-out", "0");
        assertNotEquals(0, rc[0]);
        assertTrue(r[1].contains("captions.jsonl line 1") && r[1].contains("\"ply\""), r[1]);
        assertFalse(Files.exists(dir.resolve("run/checkpoint")), "nothing trained");
    }
}
