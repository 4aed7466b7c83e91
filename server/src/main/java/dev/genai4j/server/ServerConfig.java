package dev.genai4j.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Genai4jServer} listens, which models it serves and how much work it takes on.
 *
 * <pre>{@code
 * ServerConfig c = ServerConfig.builder().port(0).apiKey(System.getenv("GENAI4J_API_KEY"))
 *         .modelRoot(Path.of("models")).nerModel("gliner-small").build();
 * }</pre>
 *
 * @param host              interface to bind (default loopback only)
 * @param port              TCP port; 0 picks a free one
 * @param apiKey            when non-null, every route except {@code /health} needs {@code Authorization: Bearer KEY}
 * @param modelRoots        folders a model name sent in a request may resolve under (nothing else is opened for a request)
 * @param embedModel        default encoder: a {@code ModelStore} name or a folder (the operator's choice, so any folder)
 * @param nerModel          GLiNER folder (or a name under a model root), or null for none
 * @param fillMaskModel     masked-LM folder (or a name under a model root), or null for none
 * @param lmModel           Mixtral-style causal LM folder with tokenizer.json (or a name under a model root) for
 *                          {@code /v1/completions} and {@code /v1/chat/completions}, or null for none
 * @param clipModel         CLIP folder with tokenizer.json (or a name under a model root) for {@code /zero-shot}, or null for none
 * @param diffusionModel    text-to-image diffusion folder for {@code /v1/images/generations}, or null for the shipped
 *                          Fashion-MNIST model ({@code DefaultDiffusionModel})
 * @param pointeModel       Point-E base model (run folder, model folder or weights file) for {@code /point-cloud}, or null
 *                          for none (no Point-E model is shipped: the endpoint answers 503 saying how to name one)
 * @param pointeImagesModel text-to-image model that draws a {@code /point-cloud} prompt for Point-E (a {@code genai4j train
 *                          diffusion --data <shapes>} checkpoint), or null to draw with {@code diffusionModel}
 * @param limits            per-request limits
 * @param queueCapacity     model requests admitted at once (running or waiting); more get 503 + Retry-After
 * @param batchMaxTexts     texts one encoder forward collects across callers
 * @param batchMaxWaitMicros how long the batcher waits for more callers after the first arrives
 * @param retryAfterSeconds the {@code Retry-After} value of a 503
 * @param shutdownGraceMillis how long {@link Genai4jServer#stop()} waits for requests in flight
 */
public record ServerConfig(String host, int port, String apiKey, List<Path> modelRoots, String embedModel, String nerModel,
                           String fillMaskModel, String lmModel, String clipModel, String diffusionModel, String pointeModel, String pointeImagesModel, Limits limits, int queueCapacity, int batchMaxTexts, long batchMaxWaitMicros,
                           int retryAfterSeconds, long shutdownGraceMillis) {
    public static final String DEFAULT_EMBED_MODEL = "all-minilm-l6-v2";

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(embedModel, "embedModel");
        modelRoots = List.copyOf(modelRoots);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("ServerConfig: port must be 0..65535, got " + port);
        if (apiKey != null && apiKey.isBlank()) throw new IllegalArgumentException("ServerConfig: the API key is blank");
        if (queueCapacity < 1) throw new IllegalArgumentException("ServerConfig: queueCapacity must be ≥ 1, got " + queueCapacity);
        if (batchMaxTexts < 1) throw new IllegalArgumentException("ServerConfig: batchMaxTexts must be ≥ 1, got " + batchMaxTexts);
        if (batchMaxWaitMicros < 0) throw new IllegalArgumentException("ServerConfig: batchMaxWaitMicros must be ≥ 0, got " + batchMaxWaitMicros);
    }

    public static Builder builder() { return new Builder(); }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host; b.port = port; b.apiKey = apiKey; b.modelRoots.addAll(modelRoots); b.embedModel = embedModel;
        b.nerModel = nerModel; b.fillMaskModel = fillMaskModel; b.lmModel = lmModel; b.clipModel = clipModel; b.diffusionModel = diffusionModel; b.pointeModel = pointeModel; b.pointeImagesModel = pointeImagesModel; b.limits = limits; b.queueCapacity = queueCapacity;
        b.batchMaxTexts = batchMaxTexts; b.batchMaxWaitMicros = batchMaxWaitMicros; b.retryAfterSeconds = retryAfterSeconds;
        b.shutdownGraceMillis = shutdownGraceMillis;
        return b;
    }

    /** Defaults: 127.0.0.1:8080, no key, MiniLM, 64 queued requests, batches of ≤ 32 texts gathered for ≤ 2 ms. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private String apiKey;
        private final List<Path> modelRoots = new ArrayList<>();
        private String embedModel = DEFAULT_EMBED_MODEL;
        private String nerModel;
        private String fillMaskModel;
        private String lmModel;
        private String clipModel;
        private String diffusionModel;
        private String pointeModel;
        private String pointeImagesModel;
        private Limits limits = Limits.defaults();
        private int queueCapacity = 64;
        private int batchMaxTexts = 32;
        private long batchMaxWaitMicros = 2_000;
        private int retryAfterSeconds = 1;
        private long shutdownGraceMillis = 30_000;

        public Builder host(String h) { host = h; return this; }
        public Builder port(int p) { port = p; return this; }
        public Builder apiKey(String k) { apiKey = k; return this; }
        public Builder modelRoot(Path p) { modelRoots.add(p); return this; }
        public Builder modelRoots(List<Path> ps) { modelRoots.clear(); modelRoots.addAll(ps); return this; }
        public Builder embedModel(String m) { embedModel = m; return this; }
        public Builder nerModel(String m) { nerModel = m; return this; }
        public Builder fillMaskModel(String m) { fillMaskModel = m; return this; }
        public Builder lmModel(String m) { lmModel = m; return this; }
        public Builder clipModel(String m) { clipModel = m; return this; }
        public Builder diffusionModel(String m) { diffusionModel = m; return this; }
        public Builder pointeModel(String m) { pointeModel = m; return this; }
        public Builder pointeImagesModel(String m) { pointeImagesModel = m; return this; }
        public Builder limits(Limits l) { limits = l; return this; }
        public Builder queueCapacity(int n) { queueCapacity = n; return this; }
        public Builder batchMaxTexts(int n) { batchMaxTexts = n; return this; }
        public Builder batchMaxWaitMicros(long us) { batchMaxWaitMicros = us; return this; }
        public Builder retryAfterSeconds(int s) { retryAfterSeconds = s; return this; }
        public Builder shutdownGraceMillis(long ms) { shutdownGraceMillis = ms; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, apiKey, modelRoots, embedModel, nerModel, fillMaskModel, lmModel, clipModel, diffusionModel, pointeModel, pointeImagesModel,
                    limits, queueCapacity, batchMaxTexts, batchMaxWaitMicros, retryAfterSeconds, shutdownGraceMillis);
        }
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "none" : "set") + ", modelRoots=" + modelRoots
                + ", embedModel=" + embedModel + ", nerModel=" + nerModel + ", fillMaskModel=" + fillMaskModel + ", lmModel=" + lmModel + ", clipModel=" + clipModel
                + ", diffusionModel=" + diffusionModel + ", pointeModel=" + pointeModel
                + ", pointeImagesModel=" + pointeImagesModel + ", limits=" + limits
                + ", queueCapacity=" + queueCapacity + ", batchMaxTexts=" + batchMaxTexts + ", batchMaxWaitMicros=" + batchMaxWaitMicros + "]";
    }
}
