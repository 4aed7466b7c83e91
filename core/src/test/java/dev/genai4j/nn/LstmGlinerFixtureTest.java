package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The BiLSTM of the GLiNER reference fixture (PyTorch nn.LSTM over pack_padded_sequence, padded
 * back with pad_packed_sequence): word representations gathered from the stored encoder output
 * must give the stored {@code words_embedding}. Reads the files with a tiny F32-only
 * safetensors parser so that this test depends on nothing but the fixture.
 */
class LstmGlinerFixtureTest {
    private static final String CASE = "gliner/bert_lstm_markerV0_fp32";

    @Test
    void bidirectionalPackedLstmMatchesPyTorch() throws IOException {
        Path dir = fixture(CASE);
        assumeTrue(dir != null, "fixture " + CASE + " not found above " + Path.of("").toAbsolutePath());
        Map<String, Tensor> model = readF32(dir.resolve("model.safetensors"));
        Tensor hidden = readF32(dir.resolve("intermediates.safetensors")).get("encoder_last_hidden_state");   // [2, 39, 32]
        Tensor expected = readF32(dir.resolve("expected.safetensors")).get("words_embedding");              // [2, 20, 32]
        String inputs = Files.readString(dir.resolve("inputs.json"));
        int[][] wordsMask = intMatrix(inputs, "words_mask");
        int[][] textLengths = intMatrix(inputs, "text_lengths");

        int batch = expected.size(0), words = expected.size(1), dim = hidden.size(2);
        // GLiNER "first" subtoken pooling: word w (1-based in words_mask) takes its first token's state
        Tensor wordReps = Tensor.zeros(batch, words, dim);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < wordsMask[b].length; t++)
                if (wordsMask[b][t] > 0)
                    for (int d = 0; d < dim; d++) wordReps.set(hidden.get(b, t, d), b, wordsMask[b][t] - 1, d);
        int[] lengths = {textLengths[0][0], textLengths[1][0]};

        Lstm lstm = Lstm.load(Weights.ofMap(model).sub("rnn.lstm"), new Lstm.Config(dim, dim / 2, 1, true, true, true));
        Tensor got = lstm.forward(wordReps, lengths, null).output();
        float[] g = got.toFloatArray(), e = expected.toFloatArray();
        assertEquals(e.length, g.length);
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(g[i] - e[i]);
            worst = Math.max(worst, err);
            assertTrue(err <= 1e-4 + 1e-3 * Math.abs(e[i]), "words_embedding element " + i + ": ours " + g[i] + ", PyTorch " + e[i]);
        }
        assertTrue(worst < 1e-5, "max abs error " + worst);
    }

    private static Path fixture(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("shared/fixtures").resolve(name);
            if (Files.isDirectory(f)) return f;
        }
        return null;
    }

    private static int[][] intMatrix(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[(\\s*\\[.*?\\]\\s*(,\\s*\\[.*?\\]\\s*)*)\\]", Pattern.DOTALL).matcher(json);
        if (!m.find()) throw new IllegalStateException("inputs.json has no " + key);
        Matcher row = Pattern.compile("\\[([^\\[\\]]*)\\]").matcher(m.group(1));
        java.util.List<int[]> rows = new java.util.ArrayList<>();
        while (row.find()) {
            String[] parts = row.group(1).split(",");
            int[] r = new int[parts.length];
            for (int i = 0; i < parts.length; i++) r[i] = Integer.parseInt(parts[i].trim());
            rows.add(r);
        }
        return rows.toArray(new int[0][]);
    }

    /** Every F32 tensor of a safetensors file: 8-byte little-endian header size, JSON header, raw data. */
    private static Map<String, Tensor> readF32(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);   // fixture files are a few KiB
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong(0);
        String header = new String(bytes, 8, headerLen, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\{\\s*\"dtype\"\\s*:\\s*\"F32\"\\s*,\\s*\"shape\"\\s*:\\s*\\[([^\\]]*)\\]\\s*,\\s*\"data_offsets\"\\s*:\\s*\\[(\\d+)\\s*,\\s*(\\d+)\\]").matcher(header);
        Map<String, Tensor> out = new LinkedHashMap<>();
        while (m.find()) {
            String[] dims = m.group(2).isBlank() ? new String[0] : m.group(2).split(",");
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) shape[i] = Integer.parseInt(dims[i].trim());
            int start = 8 + headerLen + Integer.parseInt(m.group(3)), end = 8 + headerLen + Integer.parseInt(m.group(4));
            float[] data = new float[(end - start) / 4];
            for (int i = 0; i < data.length; i++) data[i] = buf.getFloat(start + 4 * i);
            out.put(m.group(1), Tensor.of(data, shape));
        }
        return out;
    }
}
