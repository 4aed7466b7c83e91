package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.diffusion.eval.PromptClasses;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TextNorm's softmax and inconsistency weights against values worked out by hand. */
class TextNormTest {
    static final PromptClasses THREE = new PromptClasses(List.of("Dress", "Coat", "Bag"));

    /** r = 2 for a dress prompt, 1 for a coat, 0 for a bag, plus the image's first pixel. */
    static final Reward FAKE = new Reward() {
        @Override public String name() { return "fake"; }
        @Override public float[] score(Tensor images, List<String> prompts) {
            float[] out = new float[prompts.size()];
            for (int i = 0; i < out.length; i++) {
                String p = prompts.get(i);
                out[i] = (p.contains("dress") ? 2 : p.contains("coat") ? 1 : 0) + images.get(i, 0, 0, 0);
            }
            return out;
        }
    };

    @Test
    void softmaxOverPromptAndAlternatives() {
        // e² / (e² + e + 1)
        assertEquals(0.6652409557748219, TextNorm.normalize(new float[]{2, 1, 0}, new float[]{1, 1}, 1f), 1e-7);
        // τ = 2: e¹ / (e¹ + e^0.5 + 1)
        assertEquals(0.506480391055654, TextNorm.normalize(new float[]{2, 1, 0}, new float[]{1, 1}, 2f), 1e-7);
        // weight 0 drops an alternative: e² / (e² + 1)
        assertEquals(0.8807970779778824, TextNorm.normalize(new float[]{2, 1, 0}, new float[]{0, 1}, 1f), 1e-7);
        // no alternatives: certain
        assertEquals(1.0, TextNorm.normalize(new float[]{-3}, new float[0], 1f), 0);
        // large rewards do not overflow: e^0 / (e^0 + e^-1)
        assertEquals(1 / (1 + Math.exp(-1)), TextNorm.normalize(new float[]{1000, 999}, new float[]{1}, 1f), 1e-7);
    }

    @Test
    void inconsistencyWeightRampsFromIdenticalToContrastive() {
        assertEquals(0f, TextNorm.inconsistencyWeight(1f, 0.1f), 0);
        assertEquals(0.2f, TextNorm.inconsistencyWeight(0.98f, 0.1f), 1e-6f);
        assertEquals(1f, TextNorm.inconsistencyWeight(0.9f, 0.1f), 1e-6f);
        assertEquals(1f, TextNorm.inconsistencyWeight(-0.5f, 0.1f), 0);
    }

    @Test
    void scoresImagesThroughTheBaseRewardWithClassSwaps() {
        ContrastivePrompts cp = new ContrastivePrompts(THREE, null);
        assertEquals(List.of("a coat", "a bag"), cp.generate("a dress"));
        TextNorm tn = new TextNorm(FAKE, cp, 1f, null, 0.1f);
        assertEquals("fake+textnorm", tn.name());
        Tensor images = Tensor.zeros(2, 1, 2, 2);
        images.set(5f, 1, 0, 0, 0);    // a constant shift of every reward of image 1 cancels out
        float[] r = tn.score(images, List.of("a dress", "a dress"));
        assertEquals(0.6652409557748219, r[0], 1e-6);
        assertEquals(0.6652409557748219, r[1], 1e-6);
        // a coat prompt: rewards [1 (coat), 2 (dress), 0 (bag)] → e / (e + e² + 1)
        float coat = tn.score(Tensor.zeros(1, 1, 2, 2), List.of("a coat"))[0];
        assertEquals(Math.E / (Math.E + Math.exp(2) + 1), coat, 1e-6);
    }

    @Test
    void nearDuplicateAlternativesAreDiscountedByTextEmbeddings() {
        Map<String, float[]> emb = Map.of(
                "a dress", new float[]{1, 0},
                "a coat", new float[]{0.96f, 0.28f},     // cos 0.96 → w = 0.4 at δ = 0.1
                "a bag", new float[]{0, 2});             // cos 0 → w = 1
        ContrastivePrompts cp = new ContrastivePrompts(THREE, null);
        TextNorm tn = new TextNorm(FAKE, cp, 1f, texts -> texts.stream().map(emb::get).toArray(float[][]::new), 0.1f);
        TextNorm.Candidates c = tn.candidates("a dress");
        assertArrayEquals(new float[]{0.4f, 1f}, c.weights(), 1e-6f);
        // e² / (e² + 0.4 e + 1)
        assertEquals(0.7797349629631928, tn.score(Tensor.zeros(1, 1, 2, 2), List.of("a dress"))[0], 1e-6);
    }

    @Test
    void contrastivePromptsByRulesAndLanguageModel() {
        ContrastivePrompts cp = ContrastivePrompts.fashionMnist();
        List<String> swaps = cp.swapClass("a photo of a dress");
        assertEquals(9, swaps.size());
        assertTrue(swaps.contains("a photo of an ankle boot"));
        assertTrue(swaps.contains("a photo of a t-shirt"));
        assertTrue(cp.swapClass("two dresses").contains("two coats"));
        List<String> colours = ContrastivePrompts.swapColour("a red bag");
        assertEquals(10, colours.size());
        assertTrue(colours.contains("an orange bag"));
        assertTrue(colours.contains("a blue bag"));
        assertEquals(List.of("one bag", "three bags"), ContrastivePrompts.changeCount("two bags"));
        assertEquals(List.of("two dresses"), ContrastivePrompts.changeCount("one dress"));
        assertEquals(List.of("4 coats", "6 coats"), ContrastivePrompts.changeCount("5 coats"));
        assertEquals(List.of(), ContrastivePrompts.changeCount("a coat"));

        ContrastivePrompts withLm = new ContrastivePrompts(THREE, p -> List.of("a dress", "a long gown", " ", "a coat"));
        // the LM's paraphrase is kept (TextNorm's embedding weight discounts it), the prompt itself and blanks are not
        assertEquals(List.of("a coat", "a bag", "a long gown"), withLm.generate("a dress"));
    }

    @Test
    void badSettingsAreRejected() {
        ContrastivePrompts cp = new ContrastivePrompts(THREE, null);
        assertThrows(IllegalArgumentException.class, () -> new TextNorm(FAKE, cp, 0f, null, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new TextNorm(FAKE, cp, 1f, null, 0f));
        assertThrows(IllegalArgumentException.class, () -> TextNorm.normalize(new float[]{1, 2}, new float[0], 1f));
    }
}
