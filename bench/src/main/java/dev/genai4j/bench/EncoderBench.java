package dev.genai4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genai4j.models.bert.BertModel;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Our BertModel against ONNX Runtime fp32 (default graph optimizations) on the same
 * all-MiniLM-L6-v2 weights, same thread count, same token ids: the median wall time of one
 * forward (last hidden state) for each batch shape, the two runtimes alternating run by run. ratio = ORT time / our time (≥ 1: we are faster).
 *
 * <pre>{@code
 * EncoderBench.run("all-minilm-l6-v2", new int[]{1, 2}, false);
 * // encoder model=all-minilm-l6-v2 batch=8x128 threads=1 ours_ms=… ort_ms=… ratio=…
 * }</pre>
 */
public final class EncoderBench {
    /** Batch shapes measured: {batch, tokens}. */
    public static final List<int[]> SHAPES = List.of(new int[]{1, 12}, new int[]{8, 128});

    private EncoderBench() {}

    public static void main(String[] args) throws Exception {
        run("all-minilm-l6-v2", new int[]{1, 2}, args.length > 0 && args[0].equals("--quick"));
    }

    /** Prints one line per (shape, threads); returns the lines. */
    public static List<String> run(String model, int[] threads, boolean quick) throws OrtException {
        Path folder = ModelStore.get(model);
        Path onnx = ModelStore.extractOnnx(model, folder.getParent());
        List<String> lines = new java.util.ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (BertModel ours = BertModel.load(folder)) {
            for (int[] shape : SHAPES) {
                long[][] ids = tokenIds(shape[0], shape[1], ours.config().vocabSize());
                Tensor tIds = toTensor(ids), tMask = Tensor.ones(shape[0], shape[1]), tTypes = Tensor.zeros(shape[0], shape[1]);
                for (int n : threads) {
                    double oursMs, ortMs;
                    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                        o.setIntraOpNumThreads(n);
                        o.setInterOpNumThreads(1);
                        try (OrtSession s = env.createSession(onnx.toString(), o);
                             OnnxTensor a = OnnxTensor.createTensor(env, ids);
                             OnnxTensor m = OnnxTensor.createTensor(env, ones(ids));
                             OnnxTensor t = OnnxTensor.createTensor(env, new long[ids.length][ids[0].length])) {
                            Map<String, OnnxTensor> in = Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t);
                            double[] ms = medianMsInterleaved(quick,
                                    () -> Parallel.withThreads(n, () -> {
                                        try (var g = NoGrad.enter()) { ours.forward(tIds, tMask, tTypes); }
                                    }),
                                    () -> {
                                        try (OrtSession.Result r = s.run(in)) { r.get(0); } catch (OrtException e) { throw new IllegalStateException(e); }
                                    });
                            oursMs = ms[0];
                            ortMs = ms[1];
                        }
                    }
                    String line = String.format(Locale.ROOT, "encoder model=%s batch=%dx%d threads=%d ours_ms=%.2f ort_ms=%.2f ratio=%.2f",
                            model, shape[0], shape[1], n, oursMs, ortMs, ortMs / oursMs);
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /**
     * Medians of timed runs of {@code a} and {@code b}, alternated run by run so that both see the
     * same machine load (this machine is shared); after warm-up (≥ 1 pair, up to a quarter of the
     * budget), pairs run until ~4 s (1 s quick) or 40 pairs, at least 3.
     */
    static double[] medianMsInterleaved(boolean quick, Runnable a, Runnable b) {
        double budget = quick ? 1e9 : 4e9;
        long w0 = System.nanoTime();
        for (int i = 0; i < 1 || (System.nanoTime() - w0 < budget / 4 && i < 20); i++) { a.run(); b.run(); }
        double[] ta = new double[40], tb = new double[40];
        int n = 0;
        long start = System.nanoTime();
        while (n < ta.length && (n < 3 || System.nanoTime() - start < budget)) {
            long s = System.nanoTime();
            a.run();
            long m = System.nanoTime();
            b.run();
            long e = System.nanoTime();
            ta[n] = (m - s) / 1e6;
            tb[n++] = (e - m) / 1e6;
        }
        return new double[]{median(ta, n), median(tb, n)};
    }

    private static double median(double[] t, int n) {
        double[] d = Arrays.copyOf(t, n);
        Arrays.sort(d);
        return d[n / 2];
    }

    /** [CLS] random word pieces [SEP], fixed seed, as real tokenizer output would look. */
    static long[][] tokenIds(int b, int t, int vocab) {
        Rng rng = new Rng(7);
        float[] u = Tensor.rand(rng, b * t).toFloatArray();
        long[][] ids = new long[b][t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) ids[i][j] = 1000 + (long) (u[i * t + j] * (vocab - 1001));
            ids[i][0] = 101;
            ids[i][t - 1] = 102;
        }
        return ids;
    }

    private static long[][] ones(long[][] ids) {
        long[][] m = new long[ids.length][ids[0].length];
        for (long[] row : m) Arrays.fill(row, 1);
        return m;
    }

    private static Tensor toTensor(long[][] ids) {
        int b = ids.length, t = ids[0].length;
        float[] f = new float[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) f[i * t + j] = ids[i][j];
        return Tensor.of(f, b, t);
    }

}
