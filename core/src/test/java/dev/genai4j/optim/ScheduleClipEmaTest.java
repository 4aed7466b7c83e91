package dev.genai4j.optim;

import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScheduleClipEmaTest {

    @Test
    void schedulesAtKeySteps() {
        LrSchedule lin = LrSchedule.linearWarmupLinearDecay(10, 110);
        assertEquals(0.0, lin.factor(0), 1e-12);
        assertEquals(0.5, lin.factor(5), 1e-12);
        assertEquals(1.0, lin.factor(10), 1e-12);
        assertEquals(0.5, lin.factor(60), 1e-12);
        assertEquals(0.0, lin.factor(110), 1e-12);
        assertEquals(0.0, lin.factor(500), 1e-12);

        LrSchedule cos = LrSchedule.linearWarmupCosineDecay(10, 110);
        assertEquals(0.3, cos.factor(3), 1e-12);
        assertEquals(1.0, cos.factor(10), 1e-12);
        assertEquals(0.5, cos.factor(60), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.25)), cos.factor(35), 1e-12);
        assertEquals(0.0, cos.factor(110), 1e-12);

        LrSchedule floor = LrSchedule.linearWarmupCosineDecay(0, 100, 0.1);
        assertEquals(1.0, floor.factor(0), 1e-12);
        assertEquals(0.55, floor.factor(50), 1e-12);
        assertEquals(0.1, floor.factor(100), 1e-12);

        assertEquals(1.0, LrSchedule.constant().factor(12345), 0);
        LrSchedule warm = LrSchedule.constantWithWarmup(4);
        assertEquals(0.25, warm.factor(1), 1e-12);
        assertEquals(1.0, warm.factor(4), 1e-12);

        Parameter p = new Parameter(Tensor.zeros(1)).trainable();
        Sgd opt = new Sgd(List.of(p), 1);
        lin.apply(opt, 3e-4, 60);
        assertEquals(1.5e-4, opt.lr(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.linearWarmupLinearDecay(20, 10));
    }

    private static Parameter withGrad(float[] value, float[] grad) {
        Parameter p = new Parameter(Tensor.of(value, value.length)).trainable();
        p.value().setGrad(Tensor.of(grad, grad.length));
        return p;
    }

    @Test
    void clipGlobalNormScalesAllGradientsTogether() {
        Parameter a = withGrad(new float[2], new float[]{3, 4}), b = withGrad(new float[1], new float[]{12});
        Parameter none = new Parameter(Tensor.zeros(3)).trainable();
        double total = GradClip.clipGlobalNorm(List.of(a, none, b), 6.5);
        assertEquals(13.0, total, 1e-6);
        double coef = 6.5 / (13 + 1e-6);
        assertArrayEquals(new float[]{(float) (3 * coef), (float) (4 * coef)}, a.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[]{(float) (12 * coef)}, b.grad().toFloatArray(), 1e-6f);
        assertEquals(null, none.grad());

        // under the limit: unchanged; the max norm variant
        Parameter c = withGrad(new float[2], new float[]{0.3f, -0.4f});
        assertEquals(0.5, GradClip.clipGlobalNorm(List.of(c), 1.0), 1e-6);
        assertArrayEquals(new float[]{0.3f, -0.4f}, c.grad().toFloatArray(), 1e-7f);
        assertEquals(0.4, GradClip.clipGlobalNorm(List.of(c), 0.2, Double.POSITIVE_INFINITY), 1e-6);
        assertArrayEquals(new float[]{0.15f, -0.2f}, c.grad().toFloatArray(), 1e-6f);
        assertEquals(0.0, GradClip.clipGlobalNorm(List.of(none), 1.0));
    }

    private static final class Two extends Module {
        final Parameter w = param("w", Tensor.of(new float[]{1, 2}, 2));
        final Parameter frozen = param("frozen", Tensor.of(new float[]{5}, 1));
    }

    @Test
    void emaConstantDecayStoreCopyRestore() {
        Two m = new Two();
        m.w.trainable();   // "frozen" stays without requiresGrad: EMA copies it
        Ema ema = new Ema(m.parameters(), Ema.Config.constant(0.9));
        m.w.value().storage().set(0, 3f);          // an optimizer step moved w to (3, 2)
        m.frozen.value().storage().set(0, 7f);
        ema.step();
        assertArrayEquals(new float[]{1.2f, 2f}, ema.shadow(0).toFloatArray(), 1e-6f);   // 1 − 0.1·(1 − 3)
        assertArrayEquals(new float[]{7f}, ema.shadow(1).toFloatArray());
        ema.step();
        assertArrayEquals(new float[]{1.38f, 2f}, ema.shadow(0).toFloatArray(), 1e-6f);  // 1.2 − 0.1·(1.2 − 3)

        ema.store(m);
        ema.copyTo(m);
        assertArrayEquals(new float[]{1.38f, 2f}, m.w.value().toFloatArray(), 1e-6f);
        ema.restore(m);
        assertArrayEquals(new float[]{3f, 2f}, m.w.value().toFloatArray());
        assertThrows(IllegalStateException.class, () -> ema.restore(m));

        Ema resumed = new Ema(m.parameters(), Ema.Config.constant(0.9));
        resumed.loadStateDict(ema.stateDict());
        assertEquals(2, resumed.updates());
        assertArrayEquals(ema.shadow(0).toFloatArray(), resumed.shadow(0).toFloatArray());
    }

    @Test
    void emaDiffusersDecaySchedules() {
        Parameter p = new Parameter(Tensor.zeros(1)).trainable();
        Ema plain = new Ema(List.of(p), Ema.Config.diffusers(0.999));
        assertEquals(0.0, plain.decayAt(1), 0);                 // first update copies
        assertEquals(2.0 / 11, plain.decayAt(2), 1e-12);        // (1 + 1) / (10 + 1)
        assertEquals(0.999, plain.decayAt(1_000_000), 0);       // capped at decay
        Ema warm = new Ema(List.of(p), Ema.Config.diffusersWarmup(0.9999, 1, 2.0 / 3));
        assertEquals(1 - Math.pow(1 + 9, -2.0 / 3), warm.decayAt(10), 1e-12);
        Ema delayed = new Ema(List.of(p), new Ema.Config(0.99, 0.5, 5, Ema.Schedule.DIFFUSERS, 1, 1));
        assertEquals(0.0, delayed.decayAt(6), 0);
        assertEquals(0.5, delayed.decayAt(7), 0);               // (1+1)/(10+1) raised to minDecay
        // first update copies the parameter exactly
        p.value().storage().set(0, 4f);
        plain.step();
        assertEquals(4f, plain.shadow(0).item());
    }
}
