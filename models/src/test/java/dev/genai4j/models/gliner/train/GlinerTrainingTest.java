package dev.genai4j.models.gliner.train;

import dev.genai4j.data.NerExample;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.gliner.GlinerConfig;
import dev.genai4j.models.gliner.GlinerModel;
import dev.genai4j.models.gliner.SpanDecoder;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.GradClip;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Training on the tiny reference GLiNER's pretrained BERT (fixtures/gliner/bert_lstm_markerV0_fp32,
 * hidden 32) with fresh heads from {@link GlinerFactory}: gradients reach every parameter, and a
 * few dozen steps overfit two sentences.
 */
class GlinerTrainingTest {
    static final Path FIX = Path.of("src/test/resources/fixtures/gliner/bert_lstm_markerV0_fp32");
    static GlinerConfig cfg;
    static Tokenizer tok;
    static SafetensorsWeights pretrained;

    static final List<NerExample> DATA = List.of(
            new NerExample(List.of("Marie", "Curie", "was", "born", "in", "Warsaw", "."),
                    List.of(new NerExample.Span(0, 1, "person"), new NerExample.Span(5, 5, "location")), "test"),
            new NerExample(List.of("the", "Danube", "flows", "through", "Vienna"),
                    List.of(new NerExample.Span(1, 1, "river"), new NerExample.Span(1, 1, "location"), new NerExample.Span(4, 4, "location")), "test"));

    @BeforeAll
    static void load() {
        cfg = GlinerConfig.from(JsonConfig.read(FIX.resolve("gliner_config.json")));
        tok = HfTokenizer.load(FIX);
        pretrained = Weights.open(FIX.resolve("model.safetensors"));
    }

    @AfterAll
    static void close() {
        tok.close();
        pretrained.close();
    }

    /** The fixture's backbone (heap copies) with fresh heads. */
    static GlinerModel freshModel(long seed) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (String n : pretrained.names()) {
            if (n.startsWith(GlinerFactory.BACKBONE_PREFIX)) w.put(n, Tensor.of(pretrained.get(n).toFloatArray(), pretrained.get(n).shape()));
        }
        Map<String, Tensor> heads = GlinerFactory.freshHeads(32, 32, new Rng(seed));
        assertFalse(heads.containsKey("token_rep_layer.projection.weight"), "no projection when the backbone already has hidden_size");
        for (String n : heads.keySet()) assertTrue(pretrained.has(n), "fresh head " + n + " has a checkpoint name");
        w.putAll(heads);
        return GlinerModel.load(Weights.ofMap(w), cfg, cfg.classTokenIndex());
    }

    static List<List<String>> prompts() {
        return List.of(List.of("person", "location", "river"), List.of("river", "location"));
    }

    @Test
    void gradientsReachEveryParameterIncludingTheEncoder() {
        GlinerModel m = freshModel(1);
        m.trainable();
        NerCollator.Collated c = NerCollator.collate(tok, cfg, DATA, prompts());
        Tensor loss = FocalLoss.of(0.75, 2).apply(m.forward(c.batch()).spanLogits(), c.targets(), c.typeMask(), c.spanMask());
        assertTrue(loss.item() > 0);
        loss.backward();
        List<String> noGrad = new ArrayList<>();
        m.namedParameters().forEach((name, p) -> {
            Tensor g = p.grad();
            double sq = 0;
            if (g != null) for (float v : g.toFloatArray()) sq += v * v;
            if (!(sq > 0)) noGrad.add(name);
        });
        assertEquals(List.of(), noGrad, "parameters without gradient");
    }

    @Test
    void lossFallsAndTheModelFindsItsTrainingSpans() {
        GlinerModel m = freshModel(2);
        m.trainable();   // the whole model: encoder, LSTM, span and prompt heads
        List<Parameter> all = m.parameters();
        AdamW opt = new AdamW(all, 3e-3);
        NerCollator.Collated c = NerCollator.collate(tok, cfg, DATA, prompts());
        FocalLoss f = FocalLoss.of(0.75, 2);
        double first = 0, last = 0;
        for (int step = 0; step < 40; step++) {
            opt.zeroGrad();
            Tensor loss = f.apply(m.forward(c.batch()).spanLogits(), c.targets(), c.typeMask(), c.spanMask());
            if (step == 0) first = loss.item();
            last = loss.item();
            loss.backward();
            GradClip.clipGlobalNorm(all, 10);
            opt.step();
        }
        assertTrue(last < 0.1 * first, "loss " + first + " -> " + last);
        try (var g = NoGrad.enter()) {
            Tensor logits = m.forward(c.batch()).spanLogits();
            List<SpanDecoder.Span> found = SpanDecoder.decode(logits.select(0, 0).narrow(2, 0, 3), 7, 0.5, true, false);
            assertEquals(List.of("0-1 person", "5-5 location"), found.stream().map(s -> s.start() + "-" + s.end() + " " + prompts().get(0).get(s.label())).toList());
        }
    }

    @Test
    void collatorPlacesTargetsOnTheSpanGrid() {
        NerCollator.Collated c = NerCollator.collate(tok, cfg, DATA, prompts());
        int k = cfg.maxWidth(), s = 7 * k, cMax = 3;
        assertEquals(List.of(7, 5), List.of(c.words()[0], c.words()[1]));
        assertEquals(2 * s * cMax, c.targets().length);
        List<String> pos = new ArrayList<>();
        for (int i = 0; i < c.targets().length; i++) {
            if (c.targets()[i] == 0) continue;
            int b = i / (s * cMax), span = i / cMax % s, type = i % cMax;
            pos.add(b + ":" + span / k + "-" + (span / k + span % k) + " " + prompts().get(b).get(type));
        }
        assertEquals(List.of("0:0-1 person", "0:5-5 location", "1:1-1 river", "1:1-1 location", "1:4-4 location"), pos);
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 0}, c.typeMask());             // text 1 asks for two types of three
        assertEquals(1f, c.spanMask()[s + 4 * k]);                                     // (4, 4) lies inside text 1
        assertEquals(0f, c.spanMask()[s + 4 * k + 1]);                                 // (4, 5) runs past it
        assertEquals(0f, c.spanMask()[s + 5 * k]);                                     // text 1 has no word 5
    }

    @Test
    void sampledTypesFollowTheReference() {
        NerCollator.Settings keepAll = new NerCollator.Settings(25, 1, 100, false);
        for (int seed = 0; seed < 20; seed++) {
            List<List<String>> t = NerCollator.sampleTypes(DATA, keepAll, new Random(seed));
            assertTrue(t.get(0).containsAll(List.of("person", "location")), t.toString());
            assertTrue(t.get(1).containsAll(List.of("river", "location")), t.toString());
            for (List<String> p : t) assertEquals(p.size(), p.stream().distinct().count(), "no duplicate types: " + p);
        }
        NerCollator.Settings capped = new NerCollator.Settings(1, 1, 100, true);
        for (List<String> p : NerCollator.sampleTypes(DATA, capped, new Random(5))) assertEquals(1, p.size());
        // negatives come from the batch's own types only
        NerCollator.Settings neg = new NerCollator.Settings(25, 3, 100, false);
        for (int seed = 0; seed < 20; seed++) {
            for (List<String> p : NerCollator.sampleTypes(DATA, neg, new Random(seed))) {
                assertTrue(List.of("person", "location", "river").containsAll(p), p.toString());
            }
        }
        assertEquals(NerCollator.sampleTypes(DATA, neg, new Random(9)), NerCollator.sampleTypes(DATA, neg, new Random(9)));
    }
}
