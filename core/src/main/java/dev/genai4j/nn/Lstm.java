package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.LstmScanOp;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.nn.LSTM}: stacked, optionally bidirectional LSTM with PyTorch's parameter names
 * ({@code weight_ih_l0} [4H, in], {@code weight_hh_l0} [4H, H], {@code bias_ih_l0},
 * {@code bias_hh_l0} [4H], {@code _reverse} suffix for the backward direction) and gate order
 * i, f, g, o. Bidirectional outputs concatenate forward and backward on the last axis.
 * Variable lengths behave as {@code pack_padded_sequence} → LSTM → {@code pad_packed_sequence}.
 * Not supported: {@code proj_size}, inter-layer dropout.
 *
 * <pre>{@code
 * Lstm lstm = new Lstm(new Lstm.Config(16, 32, 1, true, true, true), new Rng(0));
 * Lstm.Output r = lstm.forward(x, new int[]{5, 3}, null);   // x [2, 5, 16] (batch first)
 * r.output();   // [2, 5, 64]; row 1 is zero from step 3 on
 * r.hN();       // [2, 2, 32]: layers × directions, batch, hidden
 * }</pre>
 */
public final class Lstm extends Module {
    /** PyTorch's constructor arguments (dropout and proj_size left out). */
    public record Config(int inputSize, int hiddenSize, int numLayers, boolean bidirectional, boolean batchFirst, boolean bias) {
        public Config {
            if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
                throw new IllegalArgumentException("Lstm: sizes and layer count must be ≥ 1, got " + this);
            }
        }

        /** One unidirectional layer with biases, time-major input. */
        public static Config of(int inputSize, int hiddenSize) { return new Config(inputSize, hiddenSize, 1, false, false, true); }

        public int directions() { return bidirectional ? 2 : 1; }

        int layerInput(int layer) { return layer == 0 ? inputSize : hiddenSize * directions(); }
    }

    /**
     * @param output [B, T, D·H] (batch first) or [T, B, D·H]; zero past each sequence's length
     * @param hN     [L·D, B, H] hidden state after each sequence's last real step (step 0 for reverse)
     * @param cN     [L·D, B, H] cell state, same places
     */
    public record Output(Tensor output, Tensor hN, Tensor cN) {}

    /** The four tensors of one layer and direction. */
    private record Cell(Parameter wIh, Parameter wHh, Parameter bIh, Parameter bHh) {}

    private final Config config;
    private final List<Cell> cells = new ArrayList<>();   // layer-major, forward then reverse

    /** PyTorch's default init: every weight and bias U(±1/√H). */
    public Lstm(Config config, Rng rng) {
        this(config, (name, shape) -> {
            float bound = (float) (1.0 / Math.sqrt(config.hiddenSize()));
            return Randoms.uniform(rng, -bound, bound, shape);
        });
    }

    private interface Source {
        Tensor get(String name, int... shape);
    }

    private Lstm(Config config, Source source) {
        this.config = config;
        int h4 = 4 * config.hiddenSize();
        for (int l = 0; l < config.numLayers(); l++) {
            for (int d = 0; d < config.directions(); d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                Parameter wIh = param("weight_ih" + sfx, source.get("weight_ih" + sfx, h4, config.layerInput(l)));
                Parameter wHh = param("weight_hh" + sfx, source.get("weight_hh" + sfx, h4, config.hiddenSize()));
                Parameter bIh = config.bias() ? param("bias_ih" + sfx, source.get("bias_ih" + sfx, h4)) : null;
                Parameter bHh = config.bias() ? param("bias_hh" + sfx, source.get("bias_hh" + sfx, h4)) : null;
                cells.add(new Cell(wIh, wHh, bIh, bHh));
            }
        }
    }

    /** Reads PyTorch's names ({@code weight_ih_l0}, …) under {@code w}'s prefix, shape-checked. */
    public static Lstm load(Weights w, Config config) {
        return new Lstm(config, w::get);
    }

    public Config config() { return config; }

    /** Full-length sequences, zero initial state. */
    public Output forward(Tensor x) { return forward(x, null, null); }

    /**
     * @param x       [B, T, in] when batch first, else [T, B, in]
     * @param lengths real length of each sequence (1..T), or null for all T
     * @param state   initial (h0, c0), each [L·D, B, H], or null for zeros
     */
    public Output forward(Tensor x, int[] lengths, Tensor[] state) {
        if (x.dim() != 3 || x.size(2) != config.inputSize()) {
            throw ShapeException.of("Lstm input", config.batchFirst() ? "[B, T, " + config.inputSize() + "]" : "[T, B, " + config.inputSize() + "]", x.shape());
        }
        Tensor seq = config.batchFirst() ? x.transpose(0, 1) : x;   // [T, B, in]
        int steps = seq.size(0), batch = seq.size(1), hid = config.hiddenSize(), dirs = config.directions();
        int[] stateShape = {config.numLayers() * dirs, batch, hid};
        if (state != null && (state.length != 2 || !Arrays.equals(state[0].shape(), stateShape) || !Arrays.equals(state[1].shape(), stateShape))) {
            throw new ShapeException("Lstm: initial state must be (h0, c0) each of shape " + Arrays.toString(stateShape));
        }
        if (lengths != null && lengths.length != batch) {
            throw new ShapeException("Lstm: " + lengths.length + " lengths given for a batch of " + batch + " (input " + Arrays.toString(x.shape()) + ")");
        }
        int[] lastStep = new int[batch];
        for (int b = 0; b < batch; b++) lastStep[b] = (lengths == null ? steps : lengths[b]) - 1;
        List<Tensor> hN = new ArrayList<>(), cN = new ArrayList<>();
        // inference: the two directions of a layer are independent scans, so on two or more threads
        // they run side by side (each scan is a chain of small steps that one thread cannot split)
        boolean sideBySide = dirs == 2 && !NoGrad.isGradEnabled() && Parallel.threads() > 1;
        for (int l = 0; l < config.numLayers(); l++) {
            Tensor flat = seq.contiguous().reshape(steps * batch, seq.size(2));   // [T·B, in]
            int layer = l;
            Tensor[] hc = new Tensor[dirs];                                        // each [T, B, 2H]
            if (sideBySide) {
                Parallel.forRange(2, 1, (from, to) -> {
                    try (NoGrad g = NoGrad.enter()) {   // NoGrad is per thread: the worker needs its own scope
                        for (int d = from; d < to; d++) hc[d] = direction(layer, d, flat, steps, batch, state, lengths);
                    }
                });
            } else {
                for (int d = 0; d < dirs; d++) hc[d] = direction(layer, d, flat, steps, batch, state, lengths);
            }
            List<Tensor> outs = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                outs.add(hc[d].narrow(2, 0, hid));
                // final state: the last real step going forward, step 0 going backward
                int[] rows = new int[batch];
                for (int b = 0; b < batch; b++) rows[b] = (d == 1 ? 0 : lastStep[b]) * batch + b;
                Tensor last = hc[d].reshape(steps * batch, 2 * hid).indexSelect(0, rows);   // [B, 2H]
                hN.add(last.narrow(1, 0, hid));
                cN.add(last.narrow(1, hid, hid));
            }
            seq = dirs == 1 ? outs.get(0).contiguous() : Tensor.cat(outs, 2);   // [T, B, D·H]
        }
        Tensor output = config.batchFirst() ? seq.transpose(0, 1).contiguous() : seq;
        return new Output(output, Tensor.stack(hN, 0), Tensor.stack(cN, 0));
    }

    /** One layer and direction over the whole sequence: [T, B, 2H], h_t then c_t. */
    private Tensor direction(int layer, int d, Tensor flat, int steps, int batch, Tensor[] state, int[] lengths) {
        int hid = config.hiddenSize(), k = layer * config.directions() + d;
        Cell cell = cells.get(k);
        Tensor proj = flat.matmul(cell.wIh.value().mT());                  // [T·B, 4H]
        if (cell.bIh != null) proj = proj.add(cell.bIh.value().add(cell.bHh.value()));
        Tensor h0 = state == null ? Tensor.zeros(batch, hid) : state[0].select(0, k);
        Tensor c0 = state == null ? Tensor.zeros(batch, hid) : state[1].select(0, k);
        return LstmScanOp.scan(proj.reshape(steps, batch, 4 * hid), cell.wHh.value(), h0, c0, lengths, d == 1);
    }
}
