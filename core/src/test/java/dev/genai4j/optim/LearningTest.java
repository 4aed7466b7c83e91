package dev.genai4j.optim;

import dev.genai4j.nn.Conv2d;
import dev.genai4j.nn.GroupNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short training runs on fixed seeds that must show learning. */
class LearningTest {

    /** 1 → 32 → 1 tanh MLP; first layer U(±3) so the tanh features span the input range. */
    private static final class Mlp extends Module {
        final Parameter w1, b1, w2, b2;

        Mlp(Rng rng) {
            w1 = param("w1", Randoms.uniform(rng, -3f, 3f, 1, 32));
            b1 = param("b1", Randoms.uniform(rng, -3f, 3f, 32));
            float k = (float) (1 / Math.sqrt(32));
            w2 = param("w2", Randoms.uniform(rng, -k, k, 32, 1));
            b2 = param("b2", Randoms.uniform(rng, -k, k, 1));
        }

        Tensor forward(Tensor x) {   // x [N, 1]
            return x.matmul(w1.value()).add(b1.value()).tanh().matmul(w2.value()).add(b2.value());
        }
    }

    private static float mse(Tensor pred, Tensor target) { return pred.sub(target).square().mean().item(); }

    @Test
    void mlpFitsASineWithAdamWCosineScheduleClippingAndEma() {
        int n = 64;
        float[] xs = new float[n], ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -1f + 2f * i / (n - 1);
            ys[i] = (float) Math.sin(3 * xs[i]);
        }
        Tensor x = Tensor.of(xs, n, 1), y = Tensor.of(ys, n, 1);
        Mlp mlp = new Mlp(new Rng(42));
        mlp.trainable();
        AdamW opt = new AdamW(mlp.parameters(), 0.05, 0.9, 0.999, 1e-8, 1e-4, false);
        LrSchedule schedule = LrSchedule.linearWarmupCosineDecay(20, 300, 0.05);
        Ema ema = new Ema(mlp.parameters(), Ema.Config.diffusers(0.99));
        float start = mse(mlp.forward(x), y);
        for (int step = 0; step < 300; step++) {
            schedule.apply(opt, 0.05, step);
            Tensor loss = mlp.forward(x).sub(y).square().mean();
            loss.backward();
            GradClip.clipGlobalNorm(mlp.parameters(), 1.0);
            opt.step();
            opt.zeroGrad();
            ema.step();
        }
        float end, emaLoss;
        try (var g = NoGrad.enter()) {
            end = mse(mlp.forward(x), y);
            ema.store(mlp);
            ema.copyTo(mlp);
            emaLoss = mse(mlp.forward(x), y);
            ema.restore(mlp);
        }
        assertTrue(start > 0.2f, "start loss " + start);
        assertTrue(end < 1e-4f, "final loss " + end + " (start " + start + ")");
        assertTrue(emaLoss < 1e-4f, "EMA weights loss " + emaLoss);
    }

    @Test
    void sgdWithNesterovMomentumSolvesLinearRegression() {
        Rng rng = new Rng(7);
        Tensor x = Tensor.randn(rng, 128, 3);
        Tensor trueW = Tensor.of(new float[]{1.5f, -2f, 0.5f}, 3, 1);
        Tensor y = x.matmul(trueW).add(0.7f);
        Parameter w = new Parameter(Tensor.zeros(3, 1)).trainable(), b = new Parameter(Tensor.zeros(1)).trainable();
        Sgd opt = new Sgd(List.of(w, b), 0.05, 0.9, 0, 0, true);
        for (int step = 0; step < 150; step++) {
            x.matmul(w.value()).add(b.value()).sub(y).square().mean().backward();
            opt.step();
            opt.zeroGrad();
        }
        float loss = mse(x.matmul(w.value()).add(b.value()), y);
        assertTrue(loss < 1e-6f, "final loss " + loss);
    }

    @Test
    void tinyConvNetLearnsBarOrientation() {
        // 6×6 images with one horizontal or one vertical bar at a random place; class = orientation
        Rng rng = new Rng(3);
        int n = 32;
        Tensor images = Tensor.zeros(n, 1, 6, 6);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            boolean vertical = i % 2 == 0;
            int at = rng.nextInt(6);
            for (int k = 0; k < 6; k++) images.set(1f, i, 0, vertical ? k : at, vertical ? at : k);
            labels[i] = vertical ? 1f : 0f;
        }
        Tensor target = Tensor.of(labels, n, 1);
        Conv2d conv = new Conv2d(Conv2d.Config.of(1, 4, 3).padding(1), new Rng(1));
        GroupNorm norm = new GroupNorm(2, 4);
        Conv2d head = new Conv2d(Conv2d.Config.of(4, 1, 1), new Rng(2));
        List<Parameter> params = new java.util.ArrayList<>(conv.trainable().parameters());
        params.addAll(norm.trainable().parameters());
        params.addAll(head.trainable().parameters());
        AdamW opt = new AdamW(params, 0.05);
        float loss = Float.NaN;
        for (int step = 0; step < 60; step++) {
            Tensor logits = head.forward(norm.forward(conv.forward(images)).silu()).mean(new int[]{2, 3}, false);   // [N, 1]
            // binary cross-entropy with logits: softplus(z) − y·z
            Tensor l = logits.softplus().sub(logits.mul(target)).mean();
            loss = l.item();
            l.backward();
            opt.step();
            opt.zeroGrad();
        }
        assertTrue(loss < 0.05f, "final BCE " + loss);
    }
}
