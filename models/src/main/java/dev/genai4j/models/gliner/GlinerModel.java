package dev.genai4j.models.gliner;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.Weights;
import dev.genai4j.models.bert.BertConfig;
import dev.genai4j.models.bert.BertModel;
import dev.genai4j.models.deberta.DebertaV2Config;
import dev.genai4j.models.deberta.DebertaV2Model;
import dev.genai4j.models.deberta.PublishedDebertaConfigs;
import dev.genai4j.models.modernbert.ModernBertConfig;
import dev.genai4j.models.modernbert.ModernBertModel;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Lstm;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * GLiNER's uni-encoder span model (urchade/GLiNER {@code SpanModel}, span mode {@code markerV0}) in
 * eval mode: one backbone pass (BERT, ModernBERT or DeBERTa-v2/v3, from {@code encoder_config.model_type}) over {@code prompt + words}; the optional projection of the backbone
 * to {@code hidden_size}; label vectors read at the {@code <<ENT>>} positions; word vectors at
 * each word's first sub-token; a BiLSTM over the words; span vectors from {@link SpanMarkerV0};
 * logits = span · label. Checkpoint names: {@code token_rep_layer.bert_layer.model.*},
 * {@code token_rep_layer.projection.*}, {@code rnn.lstm.*}, {@code span_rep_layer.span_rep_layer.*},
 * {@code prompt_rep_layer.*}.
 *
 * <pre>{@code
 * GlinerModel m = GlinerModel.load(weights, config);
 * GlinerModel.Output o = m.forward(batch);
 * o.spanLogits();   // [B, W, maxWidth, C] before the sigmoid
 * }</pre>
 */
public final class GlinerModel extends Module {
    /**
     * @param spanLogits       [B, W, K, C] score of span (start w, width k+1) for label c, before the sigmoid
     * @param wordsEmbedding   [B, W, D] word vectors after the LSTM (zero past each text)
     * @param promptsEmbedding [B, C, D] label vectors after {@code prompt_rep_layer} (token level: as the encoder gives them)
     * @param tokenLogits      [B, W, C, 3] start / end / inside logits of span mode {@code token_level}, else null
     *                         (then {@code spanLogits} is null)
     */
    public record Output(Tensor spanLogits, Tensor wordsEmbedding, Tensor promptsEmbedding, Tensor tokenLogits) {
        /** A span-mode output. */
        public Output(Tensor spanLogits, Tensor wordsEmbedding, Tensor promptsEmbedding) {
            this(spanLogits, wordsEmbedding, promptsEmbedding, null);
        }
    }

    /** The backbone as the heads see it: ids and mask [B, T] to token vectors [B, T, H]. */
    private interface Backbone {
        Tensor encode(Tensor ids, Tensor mask);
    }

    private final GlinerConfig config;
    private final Backbone encoder;
    private final int encoderHidden, maxTokens;
    private final Linear projection;   // null when the backbone already has hidden_size
    private final Lstm rnn;            // null when num_rnn_layers is 0
    private final SpanMarkerV0 spanRep;       // null at token level
    private final ProjectionLayer promptRep;  // null at token level
    private final TokenScorer scorer;         // null in span mode
    private final int classToken;
    private final Backbone labelsEncoder;     // bi-encoder only
    private final Linear labelsProjection;    // bi-encoder whose labels encoder is narrower or wider than hidden_size
    private final GlinerStageTimes stageTimes = new GlinerStageTimes();

    private record Loaded(Backbone encoder, int hidden, int maxTokens) {}

    /** Loads a BERT, ModernBERT or DeBERTa-v2 encoder at {@code name} (registered as a child). */
    private Loaded backbone(String type, dev.genai4j.io.JsonConfig json, Weights w, String name) {
        return switch (type) {
            case "bert" -> {
                BertConfig bc = BertConfig.from(json);
                BertModel m = child(name, BertModel.load(w, bc));
                yield new Loaded((ids, mask) -> m.forward(ids, mask, null), bc.hiddenSize(), bc.maxPositionEmbeddings());
            }
            case "modernbert" -> {
                ModernBertConfig mc = ModernBertConfig.fromJson(json);
                ModernBertModel m = child(name, ModernBertModel.load(w, mc));
                yield new Loaded(m::forward, mc.hiddenSize(), mc.maxPositionEmbeddings());
            }
            case "deberta-v2" -> {
                // no embedded config: a published backbone named by model_name, vocabulary as resized by GLiNER
                DebertaV2Config dc = json != null ? DebertaV2Config.from(json)
                        : PublishedDebertaConfigs.forModelName(config.modelName(), w.get("embeddings.word_embeddings.weight").size(0));
                DebertaV2Model m = child(name, DebertaV2Model.load(w, dc));
                yield new Loaded((ids, mask) -> m.forward(ids, mask, null), dc.hiddenSize(), dc.maxPositionEmbeddings());
            }
            default -> throw new ConfigException("GLiNER: backbone '" + type + "' has no encoder here");
        };
    }

    private GlinerModel(Weights w, GlinerConfig config, int classToken) {
        this.config = config;
        this.classToken = classToken;
        Weights tok = w.sub("token_rep_layer");
        Loaded text = backbone(config.backbone(), config.encoderConfig(), tok.sub("bert_layer").sub("model"), "token_rep_layer.bert_layer.model");
        this.encoder = text.encoder();
        this.encoderHidden = text.hidden();
        this.maxTokens = text.maxTokens();
        int d = config.hiddenSize();
        if (tok.has("projection.weight")) {
            this.projection = child("token_rep_layer.projection", Linear.load(tok.sub("projection"), encoderHidden, d, true));
        } else if (encoderHidden != d) {
            throw new ConfigException("GLiNER: backbone hidden_size " + encoderHidden + " differs from hidden_size " + d
                    + " but the checkpoint has no token_rep_layer.projection");
        } else {
            this.projection = null;
        }
        if (config.biEncoder()) {
            Loaded labels = backbone(config.labelsBackbone(), config.labelsEncoderConfig(), tok.sub("labels_encoder").sub("model"),
                    "token_rep_layer.labels_encoder.model");
            this.labelsEncoder = labels.encoder();
            if (tok.has("labels_projection.weight")) {
                this.labelsProjection = child("token_rep_layer.labels_projection", Linear.load(tok.sub("labels_projection"), labels.hidden(), d, true));
            } else if (labels.hidden() != d) {
                throw new ConfigException("GLiNER: labels encoder hidden_size " + labels.hidden() + " differs from hidden_size " + d
                        + " but the checkpoint has no token_rep_layer.labels_projection");
            } else {
                this.labelsProjection = null;
            }
        } else {
            this.labelsEncoder = null;
            this.labelsProjection = null;
        }
        if (d % 2 != 0 && config.numRnnLayers() > 0) throw new ConfigException("GLiNER: hidden_size " + d + " must be even for the BiLSTM");
        // the reference's bi-encoder builds the LSTM but never applies it (BaseBiEncoderModel.get_representations)
        this.rnn = config.numRnnLayers() == 0 || config.biEncoder() ? null
                : child("rnn.lstm", Lstm.load(w.sub("rnn").sub("lstm"), new Lstm.Config(d, d / 2, config.numRnnLayers(), true, true, true)));
        if (config.tokenLevel()) {
            this.spanRep = null;
            this.promptRep = null;
            this.scorer = child("scorer", TokenScorer.load(w.sub("scorer"), d));
        } else {
            this.spanRep = child("span_rep_layer.span_rep_layer", SpanMarkerV0.load(w.sub("span_rep_layer").sub("span_rep_layer"), d, config.maxWidth()));
            this.promptRep = child("prompt_rep_layer", ProjectionLayer.load(w.sub("prompt_rep_layer"), d, d));
            this.scorer = null;
        }
        eval();
    }

    /**
     * Builds the model from {@code w} (checkpoint names above). {@code classToken} is the id of
     * {@code ent_token}; pass {@code config.classTokenIndex()} unless it is unset (-1).
     */
    public static GlinerModel load(Weights w, GlinerConfig config, int classToken) {
        if (classToken < 0 && !config.biEncoder()) throw new ConfigException("GLiNER: class_token_index is unset and no tokenizer id for '" + config.entToken() + "' was given");
        return new GlinerModel(w, config, classToken);
    }

    public GlinerConfig config() { return config; }

    /** Most tokens (prompt + words + specials) one pass can take: the backbone's position table. */
    public int maxTokens() { return maxTokens; }

    /**
     * One pass over a collated batch ({@link GlinerProcessor} or a reference {@code inputs.json}).
     * Spans with {@code span_mask} 0 are scored as span (0, 0), as the reference does; W is
     * {@code span_idx}'s length / max_width.
     */
    public Output forward(GlinerBatch batch) {
        if (config.biEncoder()) {
            throw new IllegalStateException("GLiNER: a bi-encoder needs its label vectors: forward(batch, labels) with labels from encodeLabels");
        }
        return forwardWith(batch, null);
    }

    /**
     * Bi-encoder labels: each label's tokens ({@code [CLS] label [SEP]} from the labels tokenizer)
     * through the labels encoder (and {@code labels_projection}), mean-pooled over its attention mask.
     *
     * @param ids  [C][Tl] token ids, padded
     * @param mask [C][Tl] 1 for real tokens
     * @return [C, D] label vectors (before {@code prompt_rep_layer})
     */
    public Tensor encodeLabels(int[][] ids, int[][] mask) {
        if (labelsEncoder == null) throw new IllegalStateException("GLiNER: encodeLabels needs a bi-encoder (labels_encoder in gliner_config.json)");
        int c = ids.length, t = ids[0].length;
        float[] fi = new float[c * t], fm = new float[c * t];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < t; j++) {
                fi[i * t + j] = ids[i][j];
                fm[i * t + j] = mask[i][j];
            }
        }
        Tensor m = Tensor.of(fm, c, t);
        Tensor h = labelsEncoder.encode(Tensor.of(fi, c, t), m);                                  // [C, Tl, Hl]
        if (labelsProjection != null) h = labelsProjection.forward(h);                           // [C, Tl, D]
        Tensor m3 = m.unsqueeze(2);                                                               // [C, Tl, 1]
        return h.mul(m3).sum(1, false).div(m3.sum(1, false).clamp(1e-9f, Float.MAX_VALUE));                 // [C, D]
    }

    /**
     * A bi-encoder pass: the text alone through the text encoder, {@code labels} [B, C, D] (rows of
     * {@link #encodeLabels}, zero-padded to the most labels) as the label vectors.
     */
    public Output forward(GlinerBatch batch, Tensor labels) {
        if (!config.biEncoder()) throw new IllegalStateException("GLiNER: label vectors are given only to a bi-encoder; use forward(batch)");
        if (labels == null || labels.dim() != 3 || labels.size(0) != batch.batchSize()) {
            throw ShapeException.of("GlinerModel.forward", "labels [" + batch.batchSize() + ", C, D]", labels == null ? new int[0] : labels.shape());
        }
        return forwardWith(batch, labels);
    }

    /** Time spent in the encoder versus the heads, over every forward pass of this model. */
    public GlinerStageTimes stageTimes() { return stageTimes; }

    private Output forwardWith(GlinerBatch batch, Tensor givenPrompts) {
        long start = System.nanoTime(), startCpu = GlinerStageTimes.threadCpuNanos();
        long[] encoderDone = new long[4];
        Output out = forwardStages(batch, givenPrompts, encoderDone);
        stageTimes.record(encoderDone[0] - start, System.nanoTime() - encoderDone[0],
                encoderDone[1] - startCpu, GlinerStageTimes.threadCpuNanos() - encoderDone[1]);
        stageTimes.recordLstmAndSpan(encoderDone[2], encoderDone[3]);
        return out;
    }

    /**
     * The forward pass; stores the wall time the backbone finished in {@code encoderDone[0]}, the
     * calling thread's CPU time then in {@code encoderDone[1]}, and the wall / CPU nanoseconds spent
     * in the word LSTM plus the span layer (the "LSTM and span layer") in [2] / [3].
     */
    private Output forwardStages(GlinerBatch batch, Tensor givenPrompts, long[] encoderDone) {
        int b = batch.batchSize(), t = batch.inputIds()[0].length, d = config.hiddenSize(), k = config.maxWidth();
        float[] ids = new float[b * t], mask = new float[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = batch.inputIds()[i][j];
                mask[i * t + j] = batch.attentionMask()[i][j];
            }
        }
        Tensor tokens = encoder.encode(Tensor.of(ids, b, t), Tensor.of(mask, b, t));          // [B, T, Hb]
        encoderDone[0] = System.nanoTime();
        encoderDone[1] = GlinerStageTimes.threadCpuNanos();
        if (projection != null) tokens = projection.forward(tokens);                            // [B, T, D]
        // gathers by row index into the token vectors plus one zero row (the padding), so that
        // gradients reach the encoder when training
        Tensor rows = Tensor.cat(java.util.List.of(tokens.contiguous().reshape(b * t, d), Tensor.zeros(1, d)), 0);   // [B·T + 1, D]
        int zeroRow = b * t;

        Tensor prompts = givenPrompts != null ? givenPrompts : prompts(batch, rows, zeroRow, b, t, d);   // [B, C, D]
        if (promptRep != null) prompts = promptRep.forward(prompts);

        int maxWords = batch.maxWords();
        int[] wordRows = new int[b * maxWords];
        java.util.Arrays.fill(wordRows, zeroRow);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                int wm = batch.wordsMask()[i][j];
                if (wm <= 0) continue;
                if (wm > maxWords) throw new ShapeException("GLiNER: words_mask[" + i + "][" + j + "] = " + wm + " exceeds the longest text (" + maxWords + " words)");
                wordRows[i * maxWords + wm - 1] = i * t + j;
            }
        }
        Tensor wordsEmb = rows.indexSelect(0, wordRows).reshape(b, maxWords, d);                 // [B, W, D]
        long lstmStart = System.nanoTime(), lstmStartCpu = GlinerStageTimes.threadCpuNanos();
        if (rnn != null) wordsEmb = rnn.forward(wordsEmb, batch.textLengths(), null).output();
        encoderDone[2] = System.nanoTime() - lstmStart;
        encoderDone[3] = GlinerStageTimes.threadCpuNanos() - lstmStartCpu;
        if (scorer != null) return new Output(null, wordsEmb, prompts, scorer.forward(wordsEmb, prompts));   // [B, W, C, 3]

        // the reference fits the words to the span grid: W = S / maxWidth (pad with zeros or cut)
        int s = batch.spanIdx()[0].length;
        if (s % k != 0) throw new ShapeException("GLiNER: span_idx has " + s + " spans, not a multiple of max_width " + k);
        int w = s / k;
        Tensor fitted = fit(wordsEmb, w);
        int[] starts = new int[b * s], ends = new int[b * s];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < s; j++) {
                int m = batch.spanMask()[i][j];   // masked spans point at (0, 0), as span_idx * span_mask
                int st = batch.spanIdx()[i][j][0] * m, en = batch.spanIdx()[i][j][1] * m;
                if (st < 0 || en < 0 || st >= w || en >= w) {
                    throw new ShapeException("GLiNER: span_idx[" + i + "][" + j + "] = (" + st + ", " + en + ") lies outside the " + w + " words");
                }
                starts[i * s + j] = i * w + st;
                ends[i * s + j] = i * w + en;
            }
        }
        int c = prompts.size(1);
        if (!dev.genai4j.tensor.NoGrad.isGradEnabled()) {
            // inference: the same scores without building [B, W, K, D] span vectors (~15x fewer products)
            long spanStart = System.nanoTime(), spanStartCpu = GlinerStageTimes.threadCpuNanos();
            Tensor scores = spanRep.scores(fitted, starts, ends, prompts);                          // [B, W, K, C]
            encoderDone[2] += System.nanoTime() - spanStart;
            encoderDone[3] += GlinerStageTimes.threadCpuNanos() - spanStartCpu;
            return new Output(scores, wordsEmb, prompts);
        }
        Tensor spans = spanRep.forward(fitted, starts, ends);                                     // [B, W, K, D]
        Tensor logits = spans.reshape(b, w * k, d).matmul(prompts.mT()).reshape(b, w, k, c);      // [B, W, K, C]
        return new Output(logits, wordsEmb, prompts);
    }

    /** [B, C, D]: the token vectors at the class-token positions (or one after, without embed_ent_token), zero-padded to the most labels. */
    private Tensor prompts(GlinerBatch batch, Tensor rows, int zeroRow, int b, int t, int d) {
        int[][] ids = batch.inputIds();
        int maxC = 0;
        int[] count = new int[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) if (ids[i][j] == classToken) count[i]++;
            maxC = Math.max(maxC, count[i]);
        }
        if (maxC == 0) throw new ShapeException("GLiNER: no '" + config.entToken() + "' token (id " + classToken + ") in the inputs; every text needs at least one label");
        int shift = config.embedEntToken() ? 0 : 1;
        int[] at = new int[b * maxC];
        java.util.Arrays.fill(at, zeroRow);
        for (int i = 0; i < b; i++) {
            int c = 0;
            for (int j = 0; j < t; j++) {
                if (ids[i][j] != classToken) continue;
                at[i * maxC + c++] = i * t + Math.min(j + shift, t - 1);
            }
        }
        return rows.indexSelect(0, at).reshape(b, maxC, d);
    }

    private static Tensor fit(Tensor words, int w) {
        int have = words.size(1);
        if (have == w) return words;
        if (have > w) return words.narrow(1, 0, w).contiguous();
        Tensor pad = Tensor.zeros(words.size(0), w - have, words.size(2));
        return Tensor.cat(java.util.List.of(words, pad), 1);
    }
}
