package dev.genai4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An ONNX Runtime session over a BERT-style ONNX file with fixed inputs (ids, an all-ones mask,
 * zero token types), opened for one block of timed runs and closed after it, so that its thread
 * pool exists only while ORT is being timed ({@link EncoderBench#medianMsInterleaved}).
 *
 * <pre>{@code
 * try (EncoderBench.OpenSide ort = OrtRunner.open(env, onnx, 2, ids)) { ort.run(); }
 * }</pre>
 */
final class OrtRunner implements EncoderBench.OpenSide {
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final OnnxTensor ids, mask, types;
    private final Map<String, OnnxTensor> inputs;

    private OrtRunner(OrtEnvironment env, Path onnx, int threads, long[][] tokenIds) throws OrtException {
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        session = env.createSession(onnx.toString(), options);
        long[][] ones = new long[tokenIds.length][];
        for (int i = 0; i < ones.length; i++) {
            ones[i] = new long[tokenIds[i].length];
            Arrays.fill(ones[i], 1);
        }
        ids = OnnxTensor.createTensor(env, tokenIds);
        mask = OnnxTensor.createTensor(env, ones);
        types = OnnxTensor.createTensor(env, new long[tokenIds.length][tokenIds[0].length]);
        inputs = Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types);
    }

    /** Opens a session with {@code threads} intra-op threads; wraps ORT's checked error. */
    static OrtRunner open(OrtEnvironment env, Path onnx, int threads, long[][] tokenIds) {
        try {
            return new OrtRunner(env, onnx, threads, tokenIds);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not open " + onnx + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void run() {
        try (OrtSession.Result r = session.run(inputs)) {
            r.get(0);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        ids.close();
        mask.close();
        types.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime session did not close: " + e.getMessage(), e);
        }
        options.close();
    }
}
