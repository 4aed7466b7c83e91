package dev.genai4j.models.mixtral;

import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generation on the reference checkpoints: greedy parity, batching, EOS, stop strings, streaming, sampling, bad input. */
class GeneratorTest {
    private static final String CASE = "single_fp32";
    private static MixtralForCausalLM lm;
    private static int[] prompt, reference;

    @BeforeAll
    static void load() {
        lm = MixtralForCausalLM.load(MixtralTesting.fixture(CASE));
        prompt = MixtralTesting.prompt(CASE, 0);
        reference = MixtralTesting.greedy(CASE, 0);   // [79, 38, 0, 123, 79, ...]
    }

    @AfterAll
    static void close() { lm.close(); }

    @Test
    void greedyStreamsTheReferenceTokensOneByOne() {
        List<Integer> streamed = new ArrayList<>();
        GenerationResult r = new Generator(lm).generateIds(List.of(prompt), GenerationOptions.greedy(12), (row, tok, text) -> {
            assertEquals(0, row);
            streamed.add(tok);
        });
        assertArrayEquals(reference, r.tokens().getFirst());
        assertEquals(12, streamed.size());
        for (int i = 0; i < 12; i++) assertEquals(reference[i], streamed.get(i));
        assertEquals(GenerationResult.FinishReason.LENGTH, r.reasons().getFirst());
    }

    @Test
    void batchOfUnequalPromptsEqualsEachPromptAlone() {
        String name = "batch2_leftpad_fp32";
        try (var batchLm = MixtralForCausalLM.load(MixtralTesting.fixture(name))) {
            int[] a = MixtralTesting.prompt(name, 0), b = MixtralTesting.prompt(name, 1);
            assertTrue(a.length != b.length);
            Generator g = new Generator(batchLm);
            GenerationResult both = g.generateIds(List.of(a, b), GenerationOptions.greedy(8).withStopAtEos(false), null);
            assertArrayEquals(g.generateIds(List.of(a), GenerationOptions.greedy(8).withStopAtEos(false), null).tokens().getFirst(), both.tokens().get(0));
            assertArrayEquals(g.generateIds(List.of(b), GenerationOptions.greedy(8).withStopAtEos(false), null).tokens().getFirst(), both.tokens().get(1));
        }
    }

    @Test
    void stopsAtEos() {
        // make the reference's third token (0) the end of sequence
        MixtralConfig c = MixtralTesting.config(CASE, t -> t.put("eos_token_id", reference[2]));
        try (SafetensorsWeights w = Weights.open(MixtralTesting.fixture(CASE))) {
            GenerationResult r = new Generator(MixtralForCausalLM.load(w, c)).generateIds(List.of(prompt), GenerationOptions.greedy(12), null);
            assertArrayEquals(new int[]{reference[0], reference[1], reference[2]}, r.tokens().getFirst());
            assertEquals(GenerationResult.FinishReason.EOS, r.reasons().getFirst());
        }
    }

    @Test
    void stopStringCutsTheTextAndNothingPastItIsStreamed() {
        // reference letters: 79→b, 38→m, 0→a, 123→t, 79→b …: stop at "at"
        StringBuilder streamed = new StringBuilder();
        GenerationResult r = new Generator(lm, new LetterTokenizer()).generateIds(List.of(prompt),
                GenerationOptions.greedy(12).withStopStrings(List.of("at", "zzz")), (row, tok, text) -> streamed.append(text));
        assertEquals("bm", r.texts().getFirst());
        assertEquals("bm", streamed.toString());
        assertEquals(GenerationResult.FinishReason.STOP_STRING, r.reasons().getFirst());
        assertArrayEquals(new int[]{reference[0], reference[1], reference[2], reference[3]}, r.tokens().getFirst());
    }

    @Test
    void maxTokensAndContextLimitEndGeneration() {
        assertEquals(5, new Generator(lm).generateIds(List.of(prompt), GenerationOptions.greedy(5), null).tokens().getFirst().length);
        assertEquals(0, new Generator(lm).generateIds(List.of(prompt), GenerationOptions.greedy(0), null).tokens().getFirst().length);
        MixtralConfig small = MixtralTesting.config(CASE, t -> t.put("max_position_embeddings", 20));
        try (SafetensorsWeights w = Weights.open(MixtralTesting.fixture(CASE))) {
            Generator g = new Generator(MixtralForCausalLM.load(w, small));
            GenerationResult r = g.generateIds(List.of(prompt), GenerationOptions.greedy(12), null);
            assertArrayEquals(java.util.Arrays.copyOf(reference, 4), r.tokens().getFirst());     // 16 + 4 = 20 positions
            assertEquals(GenerationResult.FinishReason.LENGTH, r.reasons().getFirst());
            var e = assertThrows(GenerationException.class, () -> g.generateIds(List.of(new int[21]), GenerationOptions.greedy(1), null));
            assertTrue(e.getMessage().contains("21 tokens") && e.getMessage().contains("context of 20"), e.getMessage());
        }
    }

    @Test
    void seededSamplingIsReproducibleAndTopKOneIsGreedy() {
        Generator g = new Generator(lm);
        GenerationOptions s = GenerationOptions.sampling(12, 1.0f).withStopAtEos(false);
        int[] a = g.generateIds(List.of(prompt), s.withSeed(1), null).tokens().getFirst();
        assertArrayEquals(a, g.generateIds(List.of(prompt), s.withSeed(1), null).tokens().getFirst());
        assertFalse(java.util.Arrays.equals(a, g.generateIds(List.of(prompt), s.withSeed(2), null).tokens().getFirst()));
        assertArrayEquals(reference, g.generateIds(List.of(prompt), s.withSeed(3).withTopK(1), null).tokens().getFirst());
        assertArrayEquals(reference, g.generateIds(List.of(prompt), s.withSeed(4).withTemperature(1e-4f), null).tokens().getFirst());
    }

    @Test
    void repetitionPenaltyChangesTheRepeatingGreedyOutput() {
        // the reference repeats token 79 six times; a strong penalty must avoid that
        int[] penalized = new Generator(lm).generateIds(List.of(prompt), GenerationOptions.greedy(12).withRepetitionPenalty(100f), null)
                .tokens().getFirst();
        long distinct = java.util.Arrays.stream(penalized).distinct().count();
        assertEquals(12, distinct);
    }

    @Test
    void cancelEndsAfterTheCurrentStep() {
        Generator g = new Generator(lm);
        GenerationResult r = g.generateIds(List.of(prompt), GenerationOptions.greedy(12), (row, tok, text) -> g.cancel());
        assertEquals(1, r.tokens().getFirst().length);
        assertEquals(GenerationResult.FinishReason.CANCELLED, r.reasons().getFirst());
    }

    @Test
    void badInputGivesClearErrors() {
        Generator g = new Generator(lm);
        var empty = assertThrows(GenerationException.class, () -> g.generateIds(List.of(new int[0]), GenerationOptions.greedy(4), null));
        assertTrue(empty.getMessage().contains("prompt 0 is empty"), empty.getMessage());
        assertThrows(GenerationException.class, () -> g.generateIds(List.of(), GenerationOptions.greedy(4), null));
        var oov = assertThrows(GenerationException.class, () -> g.generateIds(List.of(new int[]{1, 128}), GenerationOptions.greedy(4), null));
        assertTrue(oov.getMessage().contains("token id 128"), oov.getMessage());
        var temp = assertThrows(GenerationException.class, () -> GenerationOptions.sampling(4, 0f));
        assertTrue(temp.getMessage().contains("temperature must be > 0"), temp.getMessage());
        assertThrows(GenerationException.class, () -> GenerationOptions.sampling(4, -1f));
        var topP = assertThrows(GenerationException.class, () -> GenerationOptions.sampling(4, 1f).withTopP(0f));
        assertTrue(topP.getMessage().contains("top_p must be in (0, 1]"), topP.getMessage());
        assertThrows(GenerationException.class, () -> GenerationOptions.greedy(4).withTopP(1.5f));
        assertThrows(GenerationException.class, () -> GenerationOptions.greedy(4).withRepetitionPenalty(0f));
        var text = assertThrows(GenerationException.class, () -> new Generator(lm, new LetterTokenizer())
                .generate(List.of(""), GenerationOptions.greedy(4), null));
        assertTrue(text.getMessage().contains("prompt 0 is empty"), text.getMessage());
    }
}
