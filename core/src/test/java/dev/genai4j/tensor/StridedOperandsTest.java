package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every op on strided operands: each op runs on transposed, narrowed (offset) and bf16 layouts
 * of the same values, and on an expanded (stride-0) operand against its materialized copy.
 */
class StridedOperandsTest {
    /** Ops of one [3, 4] input. */
    private static Map<String, Function<Tensor, Tensor>> unaryOps() {
        Map<String, Function<Tensor, Tensor>> m = new LinkedHashMap<>();
        for (Unary u : Unary.values()) m.put(u.name(), x -> Elementwise.unary(x.abs().add(0.5f), u));
        m.put("add", x -> x.add(x.mul(2)));
        m.put("sub row", x -> x.sub(Tensor.of(new float[]{1, 2, 3, 4}, 4)));
        m.put("mul col", x -> x.mul(Tensor.of(new float[]{1, 2, 3}, 3, 1)));
        m.put("div", x -> Tensor.ones(3, 4).div(x.abs().add(1)));
        m.put("maximum", x -> x.maximum(Tensor.zeros(4)));
        m.put("minimum", x -> x.minimum(Tensor.zeros(3, 1)));
        m.put("scalar ops", x -> x.add(1).mul(3).sub(2).div(4).pow(2));
        m.put("clamp", x -> x.clamp(-0.5f, 1));
        m.put("compare", x -> x.ge(0.5f));
        m.put("where", x -> Tensor.where(x.gt(0), x, x.neg()));
        m.put("maskedFill", x -> x.maskedFill(x.lt(0), -1));
        m.put("sum", x -> x.sum(0, false));
        m.put("sum last", x -> x.sum(1, true));
        m.put("mean", x -> x.mean());
        m.put("var", x -> x.var(new int[]{0}, true, false));
        m.put("std", x -> x.std(new int[]{1}, false, true));
        m.put("max", x -> x.max(0, true));
        m.put("min", x -> x.min(1, false));
        m.put("argmax", x -> x.argmax(0, false));
        m.put("argmin", x -> x.argmin(1, false));
        m.put("logSumExp", x -> x.logSumExp(0, false));
        m.put("softmax", x -> x.softmax(0));
        m.put("logSoftmax", x -> x.logSoftmax(1));
        m.put("cumsum", x -> x.cumsum(0));
        m.put("topk", x -> x.topk(2, 0).values());
        m.put("sort", x -> x.sort(1, false).indices());
        m.put("matmul left", x -> x.matmul(Tensor.arange(8).reshape(4, 2)));
        m.put("matmul right", x -> Tensor.arange(6).reshape(2, 3).matmul(x));
        m.put("matmul vec", x -> x.matmul(Tensor.ones(4)));
        m.put("gather", x -> x.gather(1, Tensor.of(new float[]{3, 0, 1, 1, 2, 0}, 3, 2)));
        m.put("scatterAdd", x -> x.scatterAdd(0, Tensor.of(new float[]{2, 0, 1, 1}, 1, 4), x.narrow(0, 0, 1)));
        m.put("indexSelect", x -> x.indexSelect(1, 3, 3, 0));
        m.put("cat", x -> Tensor.cat(List.of(x, x.narrow(0, 1, 1)), 0));
        m.put("stack", x -> Tensor.stack(List.of(x, x), 1));
        m.put("split", x -> x.split(new int[]{1, 3}, 1).get(1).contiguous());
        m.put("chunk", x -> x.chunk(2, 0).get(1).copy());
        m.put("reshape", x -> x.reshape(2, 6));
        m.put("flip", x -> x.flip(0, 1));
        m.put("repeatInterleave", x -> x.repeatInterleave(2, 0));
        m.put("repeat", x -> x.repeat(2, 1));
        m.put("pad", x -> x.pad(new int[]{1, 1, 2, 0}, 9));
        m.put("triu", x -> x.triu(1));
        m.put("oneHot", x -> Tensor.oneHot(x.argmax(1, false), 4));
        m.put("multinomial", x -> Randoms.multinomial(new Rng(1), x.abs().add(0.1f), 3, false));
        m.put("bernoulli", x -> Randoms.bernoulli(new Rng(1), x.abs().clamp(0, 1)));
        return m;
    }

    @Test
    void everyOpGivesTheSameResultForEveryLayout() {
        Tensor x = Tensor.of(new float[]{0.5f, -1, 2, -3, 4, 1.5f, 0.75f, -2, 0.25f, 3, -0.5f, 1}, 3, 4);
        for (var e : unaryOps().entrySet()) {
            assertLayoutIndependent(e.getKey(), in -> e.getValue().apply(in.get(0)), x);
        }
    }

    @Test
    void everyOpAcceptsAnExpandedOperand() {
        Tensor row = Tensor.of(new float[]{0.5f, -1, 2, -3}, 4);
        Tensor expanded = row.expand(3, 4);                     // stride 0 on axis 0
        Tensor materialized = Tensor.of(expanded.toFloatArray(), 3, 4);
        for (var e : unaryOps().entrySet()) {
            Tensor want = e.getValue().apply(materialized), got = e.getValue().apply(expanded);
            if (!equalsApprox(want, got, 0)) fail(e.getKey() + " on an expanded operand: " + got + " vs " + want);
        }
    }

    @Test
    void gradientsFlowFromStridedViewsToTheirBase() {
        for (var e : unaryOps().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("arg") || name.equals("compare") || name.equals("sort") || name.equals("oneHot")
                    || name.equals("multinomial") || name.equals("bernoulli")) continue;
            Tensor base = Tensor.of(new float[]{0.5f, -1, 2, -3, 4, 1.5f, 0.75f, -2, 0.25f, 3, -0.5f, 1}, 4, 3).requiresGrad(true);
            Tensor viaView = e.getValue().apply(base.transpose(0, 1));
            viaView.sum().backward();
            Tensor base2 = Tensor.of(base.transpose(0, 1).toFloatArray(), 3, 4).requiresGrad(true);
            e.getValue().apply(base2).sum().backward();
            if (!equalsApprox(base2.grad().transpose(0, 1), base.grad(), 1e-6)) {
                fail(name + ": gradient through a transposed view " + base.grad() + " vs " + base2.grad());
            }
        }
    }
}
