package dev.genai4j.models.bert.onnx;

import dev.genai4j.io.onnx.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The import's progress hook: counts never go back, share one total (the graph's initializers) and end at it. */
class BertOnnxImportProgressTest {
    @Test
    void progressRunsOverTheInitializersAndEndsAtTheTotal(@TempDir Path dir) throws Exception {
        OnnxModel fp = OnnxModel.read(BertOnnxImporterTest.resource("all-minilm-l6-v2.onnx", dir));
        List<int[]> seen = new ArrayList<>();
        var r = BertOnnxImporter.convert(fp, (done, total) -> seen.add(new int[]{done, total}));
        int total = fp.initializers().size();
        assertTrue(seen.size() > r.tensors().size() / 2, "about one report per tensor: " + seen.size() + " for " + r.tensors().size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(total, seen.get(i)[1]);
            if (i > 0) assertTrue(seen.get(i)[0] >= seen.get(i - 1)[0], "step " + i + " went back");
        }
        assertEquals(total, seen.get(seen.size() - 1)[0]);
        assertEquals(BertOnnxImporter.convert(fp).tensors().keySet(), r.tensors().keySet());
    }
}
