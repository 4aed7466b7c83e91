package dev.genai4j.models.clip.train;

import dev.genai4j.models.clip.ClipConfig;
import dev.genai4j.models.clip.ClipModel;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.clip.ClipTextConfig;
import dev.genai4j.models.clip.ClipVisionConfig;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTrainModelTest {
    @TempDir Path dir;

    static final String[] WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven"};

    /** Tiny towers: 32×32 patch 8 (16 patches), width 16. */
    static ClipConfig tinyConfig(int vocab) {
        return new ClipConfig(new ClipTextConfig(vocab, 16, 32, 1, 2, 16, Activation.QUICK_GELU, 1e-5f,
                CaptionTokenizer.BOS, CaptionTokenizer.EOS, CaptionTokenizer.PAD),
                new ClipVisionConfig(16, 32, 1, 2, 3, 32, 8, Activation.QUICK_GELU, 1e-5f), 16, ClipInit.LOGIT_SCALE_INIT);
    }

    /** Pair k: its own seeded noise image in [-1, 1] (distinct images, nothing shared to learn from). */
    static Tensor pixels64() {
        return Tensor.rand(new Rng(11), 64, 3, 32, 32).mul(2f).sub(1f).contiguous();
    }

    static List<String> captions64() {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < 64; k++) out.add("row " + WORDS[k / 8] + " col " + WORDS[k % 8]);
        return out;
    }

    static ScratchTextClip tinyModel(Path tok, List<String> captions, long seed) {
        int vocab = CaptionTokenizer.train(captions, 300, tok);
        ClipConfig c = tinyConfig(vocab);
        return ScratchTextClip.create(c, ClipInit.clip(c, new Rng(seed)), tok, captions);
    }

    /** Fraction of images whose most similar text is their own caption. */
    static double retrieval(ContrastiveModel m, Tensor pixels, int[] all) {
        try (var g = NoGrad.enter()) {
            Tensor img = ClipModel.l2Normalize(m.imageFeatures(pixels));
            Tensor txt = ClipModel.l2Normalize(m.textFeatures(all));
            float[] s = img.matmul(txt.mT()).toFloatArray();
            int n = all.length, right = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < n; j++) if (s[i * n + j] > s[i * n + best]) best = j;
                if (best == i) right++;
            }
            return (double) right / n;
        }
    }

    @Test
    void tinyRunOnSyntheticPairsRaisesRetrieval() {
        List<String> captions = captions64();
        ScratchTextClip m = tinyModel(dir.resolve("tokenizer.json"), captions, 1);
        // tokens: bos … eos
        int[] t0 = m.tokens(0);
        assertEquals(CaptionTokenizer.BOS, t0[0]);
        assertEquals(CaptionTokenizer.EOS, t0[t0.length - 1]);
        Tensor pixels = pixels64();
        int[] all = java.util.stream.IntStream.range(0, 64).toArray();
        double before = retrieval(m, pixels, all);
        List<Parameter> params = m.module().parameters();
        AdamW opt = new AdamW(params, 3e-3, 0.9, 0.98, 1e-6, 0.0, false);
        float first = Float.NaN, last = Float.NaN;
        for (int step = 0; step < 60; step++) {
            Tensor loss = InfoNce.loss(ClipModel.l2Normalize(m.imageFeatures(pixels)),
                    ClipModel.l2Normalize(m.textFeatures(all)), m.logitScale().value(), null);
            loss.backward();
            opt.step();
            opt.zeroGrad();
            InfoNce.clamp(m.logitScale());
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        double after = retrieval(m, pixels, all);
        assertTrue(last < first - 1, "loss " + first + " → " + last);
        assertTrue(after >= 0.5 && after > before + 0.3, "retrieval@1 " + before + " → " + after);
    }

    @Test
    void trainedFolderLoadsThroughTheClipPipeline() {
        List<String> captions = captions64();
        ScratchTextClip m = tinyModel(dir.resolve("tokenizer.json"), captions, 2);
        Path out = dir.resolve("model");
        m.saveFolder(out);
        Tensor pixels = pixels64().narrow(0, 0, 4).contiguous();
        Tensor ownImg, ownTxt;
        try (var g = NoGrad.enter()) {
            ownImg = ClipModel.l2Normalize(m.imageFeatures(pixels));
            ownTxt = ClipModel.l2Normalize(m.textFeatures(new int[]{0, 9, 63}));
        }
        try (ClipPipeline p = ClipPipeline.load(out); var g = NoGrad.enter()) {
            assertEquals(m.clip().logitScale(), p.logitScale(), 1e-6f);
            assertArrayEquals(ownImg.toFloatArray(), ClipModel.l2Normalize(p.model().imageFeatures(pixels)).toFloatArray(), 1e-6f);
            Tensor txt = p.embedTexts(List.of(captions.get(0), captions.get(9), captions.get(63))).embeddings();
            assertArrayEquals(ownTxt.toFloatArray(), txt.toFloatArray(), 1e-5f);
            assertEquals(32, p.processor().preprocess(List.of(new dev.genai4j.models.clip.RgbImage(32, 32, new byte[32 * 32 * 3]))).size(3));
        }
    }

    @Test
    void litFolderRoundTrips() {
        ClipConfig c = tinyConfig(8);
        Map<String, Tensor> w = LitClip.init(c, new Rng(3));
        LitClip lit = LitClip.create(c.vision(), c.projectionDim(), w);
        lit.setCaptionEmbeddings(Tensor.randn(new Rng(4), 3, LitClip.TEXT_DIM));
        Path out = dir.resolve("lit");
        lit.saveFolder(out);
        LitClip back = LitClip.load(out);
        Tensor pixels = pixels64().narrow(0, 0, 3).contiguous();
        try (var g = NoGrad.enter()) {
            assertArrayEquals(lit.imageFeatures(pixels).toFloatArray(), back.imageFeatures(pixels).toFloatArray(), 1e-6f);
            Tensor e = lit.captionEmbeddings();
            assertArrayEquals(lit.textFeatures(new int[]{0, 1, 2}).toFloatArray(), back.projectText(e).toFloatArray(), 1e-6f);
        }
        assertEquals(lit.scale(), back.scale(), 1e-6f);
    }
}
