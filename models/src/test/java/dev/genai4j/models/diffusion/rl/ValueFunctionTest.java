package dev.genai4j.models.diffusion.rl;

import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ValueFunctionTest {
    static final int C = 1, S = 4, VALUES = C * S * S, D = 6, L = 2, T = 50;

    @Test
    void mapsImagesTextAndTimestepsToOneValueEach() {
        ValueFunction v = new ValueFunction(VALUES, D, 16, T, new Rng(0));
        Tensor out = v.forward(Tensor.randn(new Rng(1), 3, C, S, S), Tensor.randn(new Rng(2), 3, L, D), new int[]{0, 7, 49});
        assertArrayEquals(new int[]{3}, out.shape());
        for (float x : out.toFloatArray()) assertTrue(Float.isFinite(x));
    }

    @Test
    void rejectsWrongShapesAndTimestepsOutsideTheSchedule() {
        ValueFunction v = new ValueFunction(VALUES, D, 16, T, new Rng(0));
        Tensor text = Tensor.randn(new Rng(2), 2, L, D);
        var e = assertThrows(ShapeException.class, () -> v.forward(Tensor.randn(new Rng(1), 2, C, S, S + 1), text, new int[]{1, 2}));
        assertTrue(e.getMessage().contains("16 values per image"), e.getMessage());
        assertThrows(ShapeException.class, () -> v.forward(Tensor.randn(new Rng(1), 2, C, S, S), Tensor.randn(new Rng(2), 2, L, D + 1), new int[]{1, 2}));
        assertThrows(ShapeException.class, () -> v.forward(Tensor.randn(new Rng(1), 2, C, S, S), text, new int[]{1}));
        var t = assertThrows(IllegalArgumentException.class, () -> v.forward(Tensor.randn(new Rng(1), 2, C, S, S), text, new int[]{1, T}));
        assertTrue(t.getMessage().contains("timestep 50"), t.getMessage());
    }

    /**
     * The point of seeing x_t: a reward that the image decides (its mean, scaled) is predicted on
     * images it never saw, far better than any baseline of the prompt and t alone could (whose best
     * is the reward's variance).
     */
    @Test
    void predictsARewardTheImageDecidesOnUnseenImages() {
        ValueFunction v = new ValueFunction(VALUES, D, 64, T, new Rng(0));
        v.trainable();
        AdamW opt = new AdamW(v.parameters(), 3e-3, 0.9, 0.999, 1e-8, 0, false);
        Tensor text = Tensor.randn(new Rng(2), 1, L, D);
        Rng data = new Rng(5);
        for (int step = 0; step < 400; step++) {
            Batch b = batch(data, 32, text);
            v.forward(b.x, b.text, b.t).sub(Tensor.of(b.r, b.r.length)).square().mean().backward();
            opt.step();
            opt.zeroGrad();
        }
        Batch held = batch(new Rng(77), 256, text);
        float[] pred = v.forward(held.x, held.text, held.t).toFloatArray();
        double mse = 0, mean = Arrays.stream(toDouble(held.r)).average().orElseThrow(), var = 0;
        for (int i = 0; i < pred.length; i++) {
            mse += (pred[i] - held.r[i]) * (pred[i] - held.r[i]);
            var += (held.r[i] - mean) * (held.r[i] - mean);
        }
        assertTrue(mse < 0.1 * var, "held-out MSE " + mse / pred.length + " against the reward's variance " + var / pred.length);
    }

    /** Each timestep scales the layers by its own gains: a step on t = 3 alone leaves every other timestep's gains as they were. */
    @Test
    void aStepAtOneTimestepMovesOnlyThatTimestepsGains() {
        ValueFunction v = new ValueFunction(VALUES, D, 8, T, new Rng(0));
        v.trainable();
        float[] before = v.stateDict().get("l1.gain").toFloatArray();
        AdamW opt = new AdamW(v.parameters(), 1e-2, 0.9, 0.999, 1e-8, 0, false);
        Batch b = batch(new Rng(1), 4, Tensor.randn(new Rng(2), 1, L, D));
        Arrays.fill(b.t, 3);
        v.forward(b.x, b.text, b.t).sub(Tensor.of(b.r, 4)).square().mean().backward();
        opt.step();
        float[] after = v.stateDict().get("l1.gain").toFloatArray();
        int hidden = 8;
        for (int t = 0; t < T; t++) {
            boolean moved = false;
            for (int j = 0; j < hidden; j++) moved |= before[t * hidden + j] != after[t * hidden + j];
            assertEquals(t == 3, moved, "gains of timestep " + t);
        }
    }

    private record Batch(Tensor x, Tensor text, int[] t, float[] r) {}

    /** Random images at random timesteps, one prompt; the reward is 4 × the image's mean value. */
    private static Batch batch(Rng rng, int n, Tensor oneText) {
        Tensor x = Tensor.randn(rng, n, C, S, S);
        float[] xs = x.toFloatArray(), r = new float[n];
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < VALUES; j++) s += xs[i * VALUES + j];
            r[i] = (float) (4 * s / VALUES);
            t[i] = (int) (rng.uniform() * T);
        }
        Tensor text = oneText.expand(n, L, D).contiguous();
        return new Batch(x, text, t, r);
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }
}
