package dev.genai4j.models.mixtral;

import dev.genai4j.data.TextCorpus;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Tiny end-to-end Mixtral LM runs: learning, exact resume, the folder it writes, the aux loss and the jitter. */
class MixtralTrainerTest {
    /** Three small, regular domains built in memory. */
    static TextCorpus tinyCorpus(LmTrainConfig ignored) {
        String[] subjects = {"the cat", "a dog", "the old man", "my sister", "the bird"};
        String[] verbs = {"sees", "likes", "finds", "paints", "follows"};
        String[] objects = {"the red ball", "a small house", "the green tree", "a long river"};
        Rng r = new Rng(11);
        List<String> prose = new ArrayList<>(), code = new ArrayList<>(), arithmetic = new ArrayList<>();
        for (int d = 0; d < 120; d++) {
            StringBuilder p = new StringBuilder(), c = new StringBuilder("class C" + d + " {\n");
            for (int s = 0; s < 3; s++) {
                p.append(subjects[r.nextInt(subjects.length)]).append(' ').append(verbs[r.nextInt(verbs.length)]).append(' ')
                        .append(objects[r.nextInt(objects.length)]).append(". ");
                c.append("    int v").append(s).append(" = ").append(r.nextInt(10)).append(";\n");
            }
            prose.add(p.toString().trim());
            code.add(c.append("}").toString());
            int a = r.nextInt(50), b = r.nextInt(50);
            arithmetic.add("Question: What is " + a + " + " + b + "?\nAnswer: " + (a + b));
        }
        return TextCorpus.builder().heldOutFraction(0.15).domain("prose", prose::stream).domain("code", code::stream)
                .domain("arithmetic", arithmetic::stream).build();
    }

    /** vocab 300, H 32, 2 layers, 4 heads / 2 kv, 4 experts top-2, blocks of 32 tokens, 4 per batch. */
    static LmTrainConfig tiny(Path dir, int steps) {
        return new LmTrainConfig(dir, 1_000_000, 1.0, 300, 32, 2, 4, 2, 48, 4, 2, 32, 4, steps, 0, 0, 3e-3, Math.min(5, steps), 7,
                5, 8, 30, 6, 0.02, 0.05);
    }

    static PrintStream sink(ByteArrayOutputStream bytes) { return new PrintStream(bytes, true, StandardCharsets.UTF_8); }

    @Test
    void aTinyRunLearnsWritesAnHfFolderAndEvaluatesAgain(@TempDir Path dir) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MixtralTrainer.Summary s = MixtralTrainer.run(tiny(dir, 60), MixtralTrainerTest::tinyCorpus, false, sink(log));
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(60, s.step());
        // ln(300) ≈ 5.7 at the start
        assertTrue(s.lastLoss() < 4.0, "final loss " + s.lastLoss() + "\n" + text);
        assertTrue(text.contains("tok/s") && text.contains("ETA") && text.contains("aux"), text);
        assertEquals(List.of("prose", "code", "arithmetic"), s.eval().stream().map(LmEvaluator.Result::domain).toList());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "lm_run.json", "eval.json",
                "checkpoint/optimizer.safetensors", "checkpoint/trainer_state.json", "checkpoint/model.safetensors",
                "corpus/prose.heldout.txt", "corpus/arithmetic.train.txt")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        // a standard HF Mixtral folder: Hub names, loads with the inference code, scores the same
        try (MixtralForCausalLM lm = MixtralForCausalLM.load(dir)) {
            assertEquals(MixtralWeightLayout.HUB, lm.layout());
            assertEquals(0.02, lm.config().routerAuxLossCoef(), 1e-12);
            assertEquals(0.05, lm.config().routerJitterNoise(), 1e-12);
            assertEquals(2, lm.config().numKeyValueHeads());
        }
        List<LmEvaluator.Result> again = LmFolderEval.evaluate(dir, MixtralTrainerTest::tinyCorpus, sink(new ByteArrayOutputStream()));
        List<LmEvaluator.Result> fromCheckpoint = LmFolderEval.evaluate(dir.resolve("checkpoint"), MixtralTrainerTest::tinyCorpus,
                sink(new ByteArrayOutputStream()));
        for (int i = 0; i < again.size(); i++) {
            assertEquals(s.eval().get(i).perplexity(), again.get(i).perplexity(), 1e-3 * again.get(i).perplexity());
            assertEquals(again.get(i).perplexity(), fromCheckpoint.get(i).perplexity(), 1e-3 * again.get(i).perplexity());
            assertEquals(s.eval().get(i).bigramPerplexity(), again.get(i).bigramPerplexity(), 1e-9);
        }
    }

    @Test
    void stoppedAndResumedRunEqualsTheStraightRun(@TempDir Path root) {
        Path straight = root.resolve("straight"), resumed = root.resolve("resumed");
        MixtralTrainer.run(tiny(straight, 12), MixtralTrainerTest::tinyCorpus, false, sink(new ByteArrayOutputStream()));
        MixtralTrainer.Summary half = MixtralTrainer.run(tiny(resumed, 12).withStopAt(6), MixtralTrainerTest::tinyCorpus, false,
                sink(new ByteArrayOutputStream()));
        assertEquals(6, half.step());
        assertNull(half.eval());
        MixtralTrainer.Summary rest = MixtralTrainer.run(tiny(resumed, 12), MixtralTrainerTest::tinyCorpus, true, sink(new ByteArrayOutputStream()));
        assertEquals(12, rest.step());
        try (SafetensorsWeights a = Weights.open(straight.resolve("model.safetensors"));
             SafetensorsWeights b = Weights.open(resumed.resolve("model.safetensors"))) {
            assertEquals(a.names(), b.names());
            for (String n : a.names()) assertArrayEquals(a.get(n).toFloatArray(), b.get(n).toFloatArray(), 1e-6f, n);
        }
    }

    @Test
    void perLayerAuxLossSeesACollapseThePooledFormulaMisses() {
        // layer 0 sends every token to experts {0, 1}, layer 1 to {2, 3}: pooled, all four look equally used
        float big = 20f;
        Tensor l0 = Tensor.of(new float[] {big, big, 0, 0, big, big, 0, 0}, 2, 4);
        Tensor l1 = Tensor.of(new float[] {0, 0, big, big, 0, 0, big, big}, 2, 4);
        MixtralConfig c = tiny(Path.of("x"), 1).modelConfig(300);
        double pooled = LoadBalancingLoss.compute(List.of(l0, l1), 4, 2, null).item();
        double perLayer = MixtralTrainer.perLayerAuxLoss(List.of(l0, l1), c, null).item();
        assertEquals(2.0, pooled, 1e-4);      // k: the balanced value
        assertEquals(4.0, perLayer, 1e-4);    // E · (1 · ½ + 1 · ½) per layer
        // balanced routing reads k either way
        Tensor flat = Tensor.of(new float[] {1, 1, 0, 0, 0, 0, 1, 1}, 2, 4);
        assertEquals(LoadBalancingLoss.compute(List.of(flat), 4, 2, null).item(), MixtralTrainer.perLayerAuxLoss(List.of(flat), c, null).item(), 1e-6);
    }

    @Test
    void routerJitterActsInTrainingOnlyAndFollowsItsSeed() {
        MixtralConfig c = tiny(Path.of("x"), 1).modelConfig(300);
        MixtralForCausalLM m = MixtralTrainer.fresh(c, 3);
        Tensor ids = Tensor.of(new float[] {5, 17, 42, 7, 99, 3}, 1, 6);
        try (var g = NoGrad.enter()) {
            MixtralTrainer.seedJitter(m, 1, 0);
            float[] a = m.forward(ids).logits().toFloatArray();
            MixtralTrainer.seedJitter(m, 1, 0);
            float[] b = m.forward(ids).logits().toFloatArray();
            MixtralTrainer.seedJitter(m, 1, 1);
            float[] other = m.forward(ids).logits().toFloatArray();
            // equal to rounding, not bit for bit: Vector API float sums may change order once C2
            // compiles them between calls; the noise itself moves these logits by ~1e-3, rounding by ~1e-6
            assertArrayEquals(a, b, 1e-5f, "same step, same noise");
            assertTrue(maxDiff(a, other) > 1e-4, "another step draws other noise: max diff " + maxDiff(a, other));
            m.eval();
            float[] e1 = m.forward(ids).logits().toFloatArray();
            MixtralTrainer.seedJitter(m, 1, 1);
            float[] e2 = m.forward(ids).logits().toFloatArray();
            assertArrayEquals(e1, e2, 1e-5f, "no jitter in eval mode");
            assertTrue(maxDiff(a, e1) > 1e-4, "training mode is jittered: max diff " + maxDiff(a, e1));
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
