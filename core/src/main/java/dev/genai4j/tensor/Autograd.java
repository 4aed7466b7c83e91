package dev.genai4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Reverse-mode differentiation over the recorded tape. */
public final class Autograd {
    private Autograd() {}

    /** True when an op over these inputs must record its backward. */
    public static boolean recording(Tensor... inputs) {
        if (!NoGrad.isGradEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** Attaches {@code fn} to {@code out} when recording; returns {@code out}. */
    public static Tensor record(Tensor out, GradFn fn) {
        out.attachGradFn(fn);
        return out;
    }

    /**
     * Back-propagates {@code seed} (d loss / d root) from {@code root}; gradients accumulate into
     * the {@code grad} of every leaf that requires grad.
     */
    static void backward(Tensor root, Tensor seed) {
        if (!root.requiresGrad()) {
            throw new TensorException("backward(): the tensor does not require grad "
                    + "(no input had requiresGrad, or it was computed inside NoGrad)");
        }
        if (!Arrays.equals(root.shape(), seed.shape())) {
            throw ShapeException.of("backward", "gradient of shape " + Arrays.toString(root.shape()), seed.shape());
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        try (var g = NoGrad.enter()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor gt = grads.remove(t);
                if (gt == null) continue;
                GradFn fn = t.gradFn();
                if (fn == null) {
                    t.accumulateGrad(gt);
                    continue;
                }
                Tensor[] inGrads = fn.backward(gt);
                Tensor[] inputs = fn.inputs();
                for (int k = 0; k < inputs.length; k++) {
                    Tensor in = inputs[k];
                    if (in == null || !in.requiresGrad() || inGrads[k] == null) continue;
                    Tensor ig = inGrads[k];
                    if (!Arrays.equals(ig.shape(), in.shape())) {
                        throw new IllegalStateException("bug in backward of " + fn.name() + ": gradient for input " + k
                                + " has shape " + Arrays.toString(ig.shape()) + ", input has " + Arrays.toString(in.shape()));
                    }
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? ig : prev.add(ig));
                }
            }
        }
    }

    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        // iterative DFS (deep graphs, e.g. long RNN unrolls, would overflow the stack)
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int next = (Integer) top[1];
            Tensor[] ins = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            if (next < ins.length) {
                top[1] = next + 1;
                Tensor in = ins[next];
                if (in != null && in.requiresGrad() && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[]{in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
