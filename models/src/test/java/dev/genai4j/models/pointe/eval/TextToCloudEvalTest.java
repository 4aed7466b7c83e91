package dev.genai4j.models.pointe.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.DataException;
import dev.genai4j.data.render.ShapeDatasetWriter;
import dev.genai4j.data.shapes.PlyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which scenes the text-to-3D evaluation judges. */
class TextToCloudEvalTest {
    @Test
    void theCasesAreTheHeldOutSingleObjectScenesFlaggedByWhetherTheirCaptionWasTrainedOn(@TempDir Path data) throws Exception {
        ShapeDatasetWriter.write(new ShapeDatasetWriter.Options(30, 5, 0.4, 64, 16, 1, 1, 45, 8, PlyFile.Format.BINARY_LITTLE_ENDIAN), data);
        List<JsonNode> all = new ArrayList<>();
        for (String l : Files.readAllLines(data.resolve("captions.jsonl"))) all.add(new ObjectMapper().readTree(l));
        Set<String> trainCaptions = new HashSet<>();
        for (JsonNode o : all.subList(0, 20)) trainCaptions.add(o.path("caption").asText());
        List<String> expectedIds = new ArrayList<>();
        for (JsonNode o : all.subList(20, 30)) if (o.path("objects").size() == 1) expectedIds.add(o.path("id").asText());

        List<TextToCloudEval.Case> cases = TextToCloudEval.heldOutSinglePrimitive(data, 10);
        assertEquals(expectedIds, cases.stream().map(TextToCloudEval.Case::id).toList());
        assertTrue(!cases.isEmpty() && cases.size() < 10, "some of the 10 held-out scenes are pairs: " + cases.size());
        for (TextToCloudEval.Case c : cases) {
            assertEquals(trainCaptions.contains(c.caption()), c.captionSeenInTraining(), c.caption());
            assertTrue(Files.isRegularFile(c.render()), c.render().toString());
            assertEquals(data.resolve("clouds/" + c.id() + ".ply"), c.ply());
        }
        assertThrows(DataException.class, () -> TextToCloudEval.heldOutSinglePrimitive(data, 30));
    }

    @Test
    void theSummaryReportsClipR1OfGeneratedTruthAndBaselineCloudsOnlyWithAClip() {
        TextToCloudEval.Case c = new TextToCloudEval.Case("7", "a red cube", Path.of("r.png"), Path.of("c.ply"), false);
        List<TextToCloudEval.Row> rows = List.of(
                new TextToCloudEval.Row(c, "cube", true, "red", true, 0.1, 0.2, 1, List.of(), new TextToCloudEval.ClipRanks(1, 1, 3)),
                new TextToCloudEval.Row(c, "cube", true, "red", true, 0.1, 0.2, 1, List.of(), new TextToCloudEval.ClipRanks(2, 1, 1)),
                new TextToCloudEval.Row(c, "cube", true, "red", true, 0.1, 0.2, 1, List.of(), new TextToCloudEval.ClipRanks(4, 2, 5)),
                new TextToCloudEval.Row(c, "cube", true, "red", true, 0.1, 0.2, 1, List.of(), new TextToCloudEval.ClipRanks(1, 1, 2)));
        TextToCloudEval.Summary s = new TextToCloudEval.Summary(true, rows, new TextToCloudEval.ClipSetting("clip", 8, 3));
        assertEquals(List.of(0.5, 0.75, 0.25), java.util.Arrays.stream(s.clipR1()).boxed().toList());
        JsonNode r = s.toJson().get("clip_r_precision");
        assertEquals(8, r.get("pool_size").asInt());
        assertEquals(0.125, r.get("chance").asDouble());
        assertEquals(0.75, r.get("ground_truth_r1").asDouble());
        assertEquals(5, s.toJson().get("rows").get(2).get("baseline_clip_rank").asInt());
        TextToCloudEval.Summary none = new TextToCloudEval.Summary(true, List.of(new TextToCloudEval.Row(c, "cube", true, "red", true, 0.1, 0.2, 1, List.of(), null)));
        assertEquals(null, none.clipR1());
        assertTrue(!none.toJson().has("clip_r_precision") && !none.toJson().get("rows").get(0).has("clip_rank"), none.toJson().toString());
    }
}
