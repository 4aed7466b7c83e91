package dev.genai4j.models.clip.train;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTrainerTest {
    @TempDir Path dir;

    private ClipTrainData data() throws Exception {
        Path clothes = Files.createDirectories(dir.resolve("clothes"));
        for (int c = 0; c < 10; c++) {
            StringBuilder sb = new StringBuilder("{\"data\": [");
            for (int r = 0; r < 3; r++) {
                if (r > 0) sb.append(',');
                final int cc = c, rr = r;
                sb.append('[').append(IntStream.range(0, 784).mapToObj(k -> String.valueOf((25 * cc + 7 * rr + k) % 256))
                        .collect(Collectors.joining(","))).append(']');
            }
            Files.writeString(clothes.resolve(c + ".json"), sb.append("]}").toString());
        }
        FashionMnist fm = FashionMnist.load(clothes);
        return ClipTrainData.build(fm, IntStream.range(0, fm.size()).toArray(), null, null, 1.0, new int[]{8});
    }

    private static ClipTrainConfig tiny() {
        return new ClipTrainConfig("scratch", true, false, 1.0, new int[]{8}, 6, 8, 1e-3, 2, 0.1, 5,
                16, 1, 2, 16, 1, 2, 16, 300, 40, null, 0);
    }

    @Test
    void resumedRunMatchesUninterruptedOne() throws Exception {
        ClipTrainData d = data();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        ClipTrainer whole = ClipTrainer.start(dir.resolve("whole"), tiny(), d, null, quiet);
        whole.train(0, 100, 100);
        assertEquals(6, whole.step());

        ClipTrainer first = ClipTrainer.start(dir.resolve("split"), tiny(), d, null, quiet);
        for (int i = 0; i < 3; i++) first.trainStep();
        first.checkpoint();
        assertTrue(ClipTrainer.hasCheckpoint(dir.resolve("split")));
        ClipTrainer second = ClipTrainer.resume(dir.resolve("split"), d, null, quiet);
        assertEquals(3, second.step());
        assertArrayEquals(new int[]{8}, ClipTrainer.savedConfig(dir.resolve("split")).holdOut());
        second.train(0, 100, 100);
        assertEquals(6, second.step());

        Map<String, Tensor> a = whole.model().module().stateDict(), b = second.model().module().stateDict();
        assertEquals(a.keySet(), b.keySet());
        // same batches, same optimizer state: equal up to float reordering. (k_proj.bias has a zero
        // gradient in exact arithmetic, so Adam turns rounding noise into ~lr-sized steps there.)
        Map<String, Tensor> init = ClipTrainer.start(dir.resolve("fresh"), tiny(), d, null, quiet).model().module().stateDict();
        double moved = 0;
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 2e-4f, k);
            float[] x = a.get(k).toFloatArray(), x0 = init.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) moved = Math.max(moved, Math.abs(x[i] - x0[i]));
        }
        assertTrue(moved > 2e-3, "training moved weights by at most " + moved);
        // the checkpoint folder is an HF CLIP folder the pipeline loads
        try (ClipPipeline p = ClipPipeline.load(ClipTrainer.checkpointDir(dir.resolve("split")))) {
            assertEquals(16, p.embedTexts(java.util.List.of("a photo of a coat")).embeddings().size(1));
        }
    }
}
