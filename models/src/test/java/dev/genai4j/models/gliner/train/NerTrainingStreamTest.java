package dev.genai4j.models.gliner.train;

import dev.genai4j.data.NerExample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class NerTrainingStreamTest {
    /** 90 location texts, 10 person texts. */
    static List<NerExample> skewed() {
        List<NerExample> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String label = i % 10 == 0 ? "person" : "location";
            out.add(new NerExample(List.of("Name" + i, "is", "here"), List.of(new NerExample.Span(0, 0, label)), "wordnet"));
        }
        return out;
    }

    @Test
    void plainStreamIsTheEpochPermutation() {
        List<NerExample> train = skewed();
        NerTrainingStream s = new NerTrainingStream(train, 42, 0, 0);
        List<Integer> order = GlinerTrainer.epochOrder(100, 42, 1);
        // step 13 of batch 8: epoch 1 (12 steps per epoch), its second batch
        List<NerExample> b = s.batch(13, 8);
        for (int i = 0; i < 8; i++) assertSame(train.get(order.get(8 + i)), b.get(i));
    }

    @Test
    void fullBalanceEvensTheCoarseTypes() {
        NerTrainingStream s = new NerTrainingStream(skewed(), 42, 1.0, 0);
        Map<String, Integer> m = s.mentionCounts(500, 8);
        // 4,000 draws, each type p = 0.5: a 5-sigma band is ±158
        assertEquals(2000, m.get("person"), 158);
        assertEquals(2000, m.get("location"), 158);
        Map<String, Integer> plain = new NerTrainingStream(skewed(), 42, 0, 0).mentionCounts(500, 8);
        assertTrue(plain.get("person") < 500, plain.toString());
    }

    @Test
    void drawsDependOnlyOnSeedAndStep() {
        NerTrainingStream a = new NerTrainingStream(skewed(), 7, 0.75, 0.25), b = new NerTrainingStream(skewed(), 7, 0.75, 0.25);
        a.batch(0, 8);
        assertEquals(a.batch(5, 8), b.batch(5, 8));
        int synthetic = 0;
        for (int s = 0; s < 100; s++) for (NerExample e : a.batch(s, 8)) if (e.source().equals("template")) synthetic++;
        assertEquals(200, synthetic, 60);   // 800 slots, p = 0.25: sd 12
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NerTrainingStream(skewed(), 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new NerTrainingStream(skewed(), 1, 0, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new NerTrainingStream(List.of(), 1, 0, 0));
    }
}
