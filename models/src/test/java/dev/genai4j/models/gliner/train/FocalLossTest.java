package dev.genai4j.models.gliner.train;

import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FocalLossTest {
    /** The reference formula, element by element (focal_loss_with_logits, prob_margin 0, no smoothing). */
    static double reference(double z, float t, double alpha, double gamma) {
        double p = 1 / (1 + Math.exp(-z));
        double pos = -t * Math.log(Math.max(p, 1e-6)), neg = -(1 - t) * Math.log(Math.max(1 - p, 1e-6));
        double loss = pos + neg;
        double pt = p * t + (1 - p) * (1 - t);
        loss *= Math.pow(1 - pt, gamma);
        if (alpha >= 0) loss *= alpha * t + (1 - alpha) * (1 - t);
        return loss;
    }

    // B = 2, S = 3, C = 2; text 1 has one type (the second is padding) and two spans
    static final float[] LOGITS = {0.3f, -1.2f, 2.5f, 0.1f, -3f, 1.7f, 0.8f, 9f, -0.4f, 20f, 4f, -2f};
    static final float[] TARGETS = {1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0};
    static final float[] TYPE_MASK = {1, 1, 1, 0};
    static final float[] SPAN_MASK = {1, 1, 1, 1, 1, 0};

    static double expected(double alpha, double gamma, boolean mean) {
        double sum = 0;
        int valid = 0;
        for (int b = 0; b < 2; b++) {
            for (int s = 0; s < 3; s++) {
                if (SPAN_MASK[b * 3 + s] == 0) continue;
                valid++;
                for (int c = 0; c < 2; c++) {
                    int i = (b * 3 + s) * 2 + c;
                    sum += TYPE_MASK[b * 2 + c] * reference(LOGITS[i], TARGETS[i], alpha, gamma);
                }
            }
        }
        return mean ? sum / valid : sum;
    }

    @Test
    void matchesTheReferenceFormulaWithMasks() {
        for (double[] ag : new double[][]{{0.75, 2}, {-1, 0}, {0.25, 1.5}}) {
            Tensor x = Tensor.of(LOGITS.clone(), 2, 3, 2);
            assertEquals(expected(ag[0], ag[1], false), FocalLoss.of(ag[0], ag[1]).apply(x, TARGETS, TYPE_MASK, SPAN_MASK).item(), 1e-4);
            assertEquals(expected(ag[0], ag[1], true), FocalLoss.mean(ag[0], ag[1]).apply(x, TARGETS, TYPE_MASK, SPAN_MASK).item(), 1e-5);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        double alpha = 0.75, gamma = 2, h = 1e-3;
        Tensor x = Tensor.of(LOGITS.clone(), 2, 3, 2).requiresGrad(true);
        FocalLoss.of(alpha, gamma).apply(x, TARGETS, TYPE_MASK, SPAN_MASK).backward();
        float[] g = x.grad().toFloatArray();
        for (int i = 0; i < LOGITS.length; i++) {
            int b = i / 6, s = i / 2 % 3, c = i % 2;
            double w = SPAN_MASK[b * 3 + s] * TYPE_MASK[b * 2 + c];
            double num = w * (reference(LOGITS[i] + h, TARGETS[i], alpha, gamma) - reference(LOGITS[i] - h, TARGETS[i], alpha, gamma)) / (2 * h);
            assertEquals(num, g[i], 1e-4 + 1e-3 * Math.abs(num), "d loss / d logit " + i);
        }
        assertEquals(0f, g[7]);    // padding type of text 1
        assertEquals(0f, g[10]);   // masked span of text 1
    }

    @Test
    void rejectsMismatchedMasks() {
        Tensor x = Tensor.of(LOGITS.clone(), 2, 3, 2);
        var e = assertThrows(dev.genai4j.tensor.ShapeException.class, () -> FocalLoss.of(0.75, 2).apply(x, TARGETS, new float[3], SPAN_MASK));
        assertTrue(e.getMessage().contains("FocalLoss"), e.getMessage());
    }
}
