package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static dev.genai4j.tensor.GradCheck.check;
import static dev.genai4j.tensor.GradCheck.input;
import static dev.genai4j.tensor.TensorAssert.distinct;

/** Finite-difference gradient checks of the reductions, softmax family, cumsum, topk and sort. */
class GradCheckReductionTest {
    @Test
    void sumMeanOverSingleAndMultipleAxes() {
        for (boolean keep : new boolean[]{false, true}) {
            check("sum all", in -> in.get(0).sum(), input(1, 2, 3, 2));
            check("sum 0 " + keep, in -> in.get(0).sum(0, keep), input(1, 2, 3, 2));
            check("sum 1 " + keep, in -> in.get(0).sum(1, keep), input(1, 2, 3, 2));
            check("sum {0,2} " + keep, in -> in.get(0).sum(new int[]{0, 2}, keep), input(1, 2, 3, 2));
            check("sum {1,2} " + keep, in -> in.get(0).sum(new int[]{-2, -1}, keep), input(1, 2, 3, 2));
            check("mean 1 " + keep, in -> in.get(0).mean(1, keep), input(2, 2, 3, 2));
            check("mean {0,1} " + keep, in -> in.get(0).mean(new int[]{0, 1}, keep), input(2, 2, 3, 2));
        }
        check("mean all", in -> in.get(0).mean(), input(2, 3, 2));
        check("sum of transpose", in -> in.get(0).transpose(0, 2).sum(0, false), input(3, 2, 3, 2));
    }

    @Test
    void varAndStd() {
        for (boolean keep : new boolean[]{false, true}) {
            for (boolean unbiased : new boolean[]{false, true}) {
                check("var 1", in -> in.get(0).var(new int[]{1}, unbiased, keep), input(1, 2, 4, 3));
                check("var {0,2}", in -> in.get(0).var(new int[]{0, 2}, unbiased, keep), input(1, 2, 4, 3));
                check("std 2", in -> in.get(0).std(new int[]{2}, unbiased, keep), input(2, 2, 4, 3));
            }
        }
        check("var all", in -> in.get(0).var(), input(3, 3, 3));
        check("std all", in -> in.get(0).std(), input(3, 3, 3));
    }

    @Test
    void maxMinAwayFromTies() {
        for (boolean keep : new boolean[]{false, true}) {
            check("max 1", in -> in.get(0).max(1, keep), distinct(1, 0, 2, 4, 3));
            check("max {0,2}", in -> in.get(0).max(new int[]{0, 2}, keep), distinct(2, 0, 2, 4, 3));
            check("min 0", in -> in.get(0).min(0, keep), distinct(3, 0, 2, 4, 3));
            check("min {1,2}", in -> in.get(0).min(new int[]{1, 2}, keep), distinct(3, 0, 2, 4, 3));
        }
        check("max all", in -> in.get(0).max(), distinct(4, 0, 3, 4));
        check("min all", in -> in.get(0).min(), distinct(4, 0, 3, 4));
    }

    @Test
    void logSumExpSoftmaxLogSoftmaxOnEveryAxis() {
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            check("logSumExp " + a, in -> in.get(0).logSumExp(a, false), input(1, 2, 3, 4));
            check("logSumExp keep " + a, in -> in.get(0).logSumExp(a, true), input(1, 2, 3, 4));
            check("softmax " + a, in -> in.get(0).softmax(a), input(2, 2, 3, 4));
            check("logSoftmax " + a, in -> in.get(0).logSoftmax(a), input(3, 2, 3, 4));
            check("cumsum " + a, in -> in.get(0).cumsum(a), input(4, 2, 3, 4));
        }
        check("softmax with a masked entry", in -> in.get(0).maskedFill(TensorAssert.t(TensorAssert.f(0, 1, 0), 3), Float.NEGATIVE_INFINITY).softmax(-1),
                input(5, 2, 3));
    }

    @Test
    void topkAndSortValues() {
        check("topk last", in -> in.get(0).topk(2, -1).values(), distinct(1, 0, 3, 5));
        check("topk axis 0", in -> in.get(0).topk(2, 0).values(), distinct(2, 0, 3, 5));
        check("sort ascending", in -> in.get(0).sort(1, false).values(), distinct(3, 0, 2, 5));
        check("sort descending axis 0", in -> in.get(0).sort(0, true).values(), distinct(4, 0, 4, 2));
    }
}
