package dev.genai4j.models.bert;

import ai.onnxruntime.OrtSession;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.*;
import org.junit.jupiter.api.Test;
import java.util.List;

class DebugParityTest {
    @Test void debug() throws Exception {
        String name = "all-minilm-l6-v2";
        long t0 = System.nanoTime();
        var folder = RealEncoders.folder(name);
        long t1 = System.nanoTime();
        try (BertModel model = BertModel.load(folder);
             HfTokenizer tok = HfTokenizer.load(folder.resolve("tokenizer.json"));
             OrtSession ort = RealEncoders.session(name, 2)) {
            long t2 = System.nanoTime();
            var batch = tok.encodeBatch(BertOrtParityTest.SENTENCES, EncodeOptions.defaults().padToLongest());
            Tensor[] in = Embedder.toTensors(batch);
            long t3 = System.nanoTime();
            float[][][] ref = RealEncoders.ort(ort, in[0], in[1], in[2]);
            long t4 = System.nanoTime();
            float[] ours;
            try (var g = NoGrad.enter()) { ours = model.forward(in[0], in[1], in[2]).toFloatArray(); }
            long t5 = System.nanoTime();
            try (var g = NoGrad.enter()) { ours = model.forward(in[0], in[1], in[2]).toFloatArray(); }
            long t6 = System.nanoTime();
            System.out.printf("import %.1fs load %.1fs ort %.2fs ours %.2fs ours2 %.2fs%n", (t1-t0)/1e9, (t2-t1)/1e9, (t4-t3)/1e9, (t5-t4)/1e9, (t6-t5)/1e9);
            int T = ref[0].length, H = ref[0][0].length;
            for (int b = 0; b < ref.length; b++) {
                double real = 0, pad = 0; float maxAbs = 0;
                for (int t = 0; t < T; t++) for (int h = 0; h < H; h++) {
                    double d = Math.abs(ref[b][t][h] - ours[(b*T+t)*H+h]);
                    maxAbs = Math.max(maxAbs, Math.abs(ref[b][t][h]));
                    if (batch.get(b).attentionMask()[t] == 1) real = Math.max(real, d); else pad = Math.max(pad, d);
                }
                System.out.printf("row %d len %d real %.2e pad %.2e maxabs %.2f%n", b, batch.get(b).realLength(), real, pad, maxAbs);
            }
        }
    }
}
