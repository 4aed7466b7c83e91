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
        }
        assertThrows(DataException.class, () -> TextToCloudEval.heldOutSinglePrimitive(data, 30));
    }
}
