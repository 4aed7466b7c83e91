package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static dev.genai4j.tensor.GradCheck.check;
import static dev.genai4j.tensor.GradCheck.input;
import static dev.genai4j.tensor.TensorAssert.*;

/** Finite-difference gradient checks of every differentiable elementwise op, broadcasting included. */
class GradCheckElementwiseTest {
    private static void binary(String name, BinaryOperator<Tensor> op, Tensor a, Tensor b) {
        check(name, in -> op.apply(in.get(0), in.get(1)), a, b);
    }

    @Test
    void arithmeticWithBroadcasting() {
        binary("add", Tensor::add, input(1, 2, 3), input(2, 2, 3));
        binary("add row", Tensor::add, input(1, 2, 3), input(2, 3));
        binary("add col+row", Tensor::add, input(1, 2, 1), input(2, 3));
        binary("sub", Tensor::sub, input(3, 2, 3), input(4, 2, 1));
        binary("sub scalar-first", Tensor::sub, input(3), input(4, 2, 3));
        binary("mul", Tensor::mul, input(5, 2, 3), input(6, 2, 3));
        binary("mul broadcast", Tensor::mul, input(5, 4, 1, 3), input(6, 2, 1));
        binary("div", Tensor::div, input(7, 2, 3), positive(8, 3));
        binary("div broadcast numerator", Tensor::div, input(7, 3), positive(8, 2, 3));
        binary("same tensor twice", (a, b) -> a.mul(a).add(b), input(9, 4), input(10, 4));
    }

    @Test
    void maximumMinimumAwayFromTies() {
        binary("maximum", Tensor::maximum, distinct(1, 0, 2, 3), distinct(2, 0.05f, 2, 3));
        binary("maximum broadcast", Tensor::maximum, distinct(1, 0, 2, 3), distinct(2, 0.05f, 3));
        binary("minimum", Tensor::minimum, distinct(3, 0, 2, 3), distinct(4, 0.05f, 2, 1));
    }

    @Test
    void tiesSplitTheGradientLikeTorch() {
        Tensor a = t(f(1, 2), 2).requiresGrad(true), b = t(f(1, 3), 2).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertTensor(a.grad(), new int[]{2}, 0.5f, 0);
        assertTensor(b.grad(), new int[]{2}, 0.5f, 1);
    }

    @Test
    void scalarOpsAndPow() {
        check("add scalar", in -> in.get(0).add(2.5f), input(1, 2, 3));
        check("sub scalar", in -> in.get(0).sub(2.5f), input(1, 2, 3));
        check("mul scalar", in -> in.get(0).mul(-1.5f), input(2, 2, 3));
        check("div scalar", in -> in.get(0).div(3f), input(2, 2, 3));
        check("pow 3", in -> in.get(0).pow(3), input(3, 2, 3));
        check("pow 2", in -> in.get(0).pow(2), input(3, 5));
        check("pow 0.5", in -> in.get(0).pow(0.5f), positive(4, 2, 3));
        check("pow -1.5", in -> in.get(0).pow(-1.5f), positive(5, 2, 3));
        Tensor z = t(f(0, 2), 2).requiresGrad(true);
        z.pow(0).sum().backward();
        assertTensor(z.grad(), new int[]{2}, 0, 0);       // not NaN at 0
    }

    @Test
    void everyUnaryFunction() {
        for (Unary u : Unary.values()) {
            Tensor x = switch (u) {
                case LOG, SQRT, RSQRT, RECIPROCAL -> positive(10 + u.ordinal(), 2, 3);
                case ABS, RELU -> awayFromZero(10 + u.ordinal(), 2, 3);
                default -> input(10 + u.ordinal(), 2, 3);
            };
            check(u.name(), in -> Elementwise.unary(in.get(0), u), x);
        }
        // and through the public methods, on a strided input
        for (UnaryOperator<Tensor> op : java.util.List.<UnaryOperator<Tensor>>of(Tensor::neg, Tensor::exp, Tensor::tanh,
                Tensor::sigmoid, Tensor::gelu, Tensor::geluTanh, Tensor::quickGelu, Tensor::silu, Tensor::erf,
                Tensor::softplus, Tensor::sin, Tensor::cos, Tensor::square)) {
            check("unary on transpose", in -> op.apply(in.get(0).transpose(0, 1)), input(30, 2, 3));
        }
        check("log on narrow", in -> in.get(0).narrow(1, 1, 2).log(), positive(31, 2, 3));
        check("softplus above the threshold", in -> in.get(0).add(25).softplus(), input(32, 4));
    }

    @Test
    void clampAndWhere() {
        // values k·0.1 + 0.05 never sit within a step of the bounds ±0.5
        check("clamp", in -> in.get(0).clamp(-0.5f, 0.5f), distinct(1, 0.05f, 3, 4));
        Tensor cond = t(f(1, 0, 0, 1, 1, 0), 2, 3);
        check("where", in -> Tensor.where(in.get(2), in.get(0), in.get(1)), input(2, 2, 3), input(3, 2, 3), cond);
        check("where broadcast", in -> Tensor.where(in.get(2), in.get(0), in.get(1)), input(2, 3), input(3, 2, 1), cond);
        check("where scalar branch", in -> Tensor.where(in.get(1), in.get(0), Tensor.scalar(0)), input(4, 2, 3), cond);
        check("where one-element branches with grad", in -> Tensor.where(in.get(2), in.get(0), in.get(1)), input(4), input(5, 1), cond);
        check("maskedFill", in -> in.get(0).maskedFill(in.get(1), -7f), input(5, 2, 3), t(f(0, 1, 0), 3));
        check("triu", in -> in.get(0).triu(0), input(6, 2, 3, 3));
        check("tril", in -> in.get(0).tril(-1), input(6, 3, 4));
    }
}
