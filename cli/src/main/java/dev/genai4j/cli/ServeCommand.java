package dev.genai4j.cli;

import dev.genai4j.server.Genai4jServer;
import dev.genai4j.server.Limits;
import dev.genai4j.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code genai4j serve}: the models over HTTP ({@link Genai4jServer}). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
                "Serves the models over HTTP: POST /embed, POST /v1/embeddings (OpenAI-compatible), POST /ner,",
                "POST /fill-mask, POST /zero-shot (CLIP, --clip), POST /v1/completions and /v1/chat/completions",
                "(OpenAI-compatible, SSE streaming; a Mixtral-style LM, --lm), POST /v1/images/generations",
                "(OpenAI-compatible; the shipped Fashion-MNIST diffusion model unless --diffusion names another),",
                "POST /point-cloud (Point-E, --pointe), GET /health, /info, /metrics (Prometheus), /v1/models, and a",
                "browser UI at / (NER, fill-mask, zero-shot, similarity, generation with tokens coloured by expert,",
                "text to image, text to 3D). Models load on first use and are shared; encoder requests from",
                "concurrent callers are batched into one forward.",
                "The API key comes from --api-key or, better (it stays out of 'ps'), the GENAI4J_API_KEY variable;",
                "with a key every route but /health needs 'Authorization: Bearer KEY'. Ctrl-C or SIGTERM stops",
                "gracefully: requests in flight finish, new ones get 503.",
                "",
                "Examples:",
                "  genai4j serve",
                "  curl -s localhost:8080/v1/embeddings -H 'Content-Type: application/json' -d '{\"input\": \"hello\", \"model\": \"all-minilm-l6-v2\"}'",
                "  GENAI4J_API_KEY=secret genai4j serve --port 9000 --model-root models --ner-model models/gliner-small",
                "  genai4j serve --lm runs/moe --clip models/clip-vit-b32   # then open http://127.0.0.1:8080/",
                "  genai4j serve --pointe runs/pointe --pointe-images runs/shapes-diffusion/checkpoint   # + POST /point-cloud, the UI's Text to 3D"
        })
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H", description = "interface to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for all)")
    String host;

    @Option(names = "--api-key", paramLabel = "KEY", description = "require 'Authorization: Bearer KEY' (default: $GENAI4J_API_KEY, else none)")
    String apiKey;

    @Option(names = "--model-root", paramLabel = "DIR", description = "a folder whose sub-folders requests may name as models (repeatable);"
            + " the hub cache ($HF_HUB_CACHE) is always one, for hf:org/name models cached there")
    List<Path> modelRoots = new ArrayList<>();

    @Option(names = "--embed-model", defaultValue = ServerConfig.DEFAULT_EMBED_MODEL, paramLabel = "NAME|DIR",
            description = "default encoder: a known name (see 'genai4j models list'), a folder or hf:org/name[@rev] (default ${DEFAULT-VALUE})")
    String embedModel;

    @Option(names = "--ner-model", paramLabel = "DIR", description = "GLiNER folder (or a name under a --model-root, or hf:org/name[@rev]) for POST /ner")
    String nerModel;

    @Option(names = "--fill-mask-model", paramLabel = "DIR", description = "ModernBERT masked-LM folder (or a name under a --model-root, or hf:org/name[@rev]) for POST /fill-mask")
    String fillMaskModel;

    @Option(names = "--lm", paramLabel = "DIR", description = "Mixtral-style causal LM folder with tokenizer.json (or a name under a --model-root, or hf:org/name[@rev]) "
            + "for /v1/completions and /v1/chat/completions")
    String lmModel;

    @Option(names = "--clip", paramLabel = "DIR", description = "CLIP folder with tokenizer.json (or a name under a --model-root, or hf:org/name[@rev]) for POST /zero-shot")
    String clipModel;

    @Option(names = "--diffusion", paramLabel = "DIR", description = "text-to-image diffusion folder (or a name under a --model-root) for "
            + "POST /v1/images/generations (default: the shipped Fashion-MNIST model)")
    String diffusionModel;

    @Option(names = "--pointe", paramLabel = "DIR", description = "Point-E base model: a run folder of 'genai4j train pointe', a model folder "
            + "(config.json + model.safetensors) or a name under a --model-root, for POST /point-cloud (none is shipped)")
    String pointeModel;

    @Option(names = "--pointe-images", paramLabel = "DIR", description = "text-to-image model that draws a /point-cloud prompt for Point-E "
            + "(the checkpoint of 'genai4j train diffusion --data <shapes>'; default: the --diffusion model)")
    String pointeImagesModel;

    @Option(names = "--max-new-tokens", defaultValue = "512", paramLabel = "N", description = "max_tokens a completion may ask for (default ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--max-image-bytes", defaultValue = "8388608", paramLabel = "N", description = "bytes of one uploaded image (default ${DEFAULT-VALUE})")
    int maxImageBytes;

    @Option(names = "--max-image-pixels", defaultValue = "25000000", paramLabel = "N", description = "width × height of one image, checked before decoding (default ${DEFAULT-VALUE})")
    long maxImagePixels;

    @Option(names = "--max-images", defaultValue = "8", paramLabel = "N", description = "images one /v1/images/generations request may ask for (default ${DEFAULT-VALUE})")
    int maxImages;

    @Option(names = "--queue", defaultValue = "64", paramLabel = "N", description = "model requests admitted at once before 503 (default ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--batch-max-texts", defaultValue = "32", paramLabel = "N", description = "texts per encoder forward across callers (default ${DEFAULT-VALUE})")
    int batchMaxTexts;

    @Option(names = "--batch-wait-micros", defaultValue = "2000", paramLabel = "US", description = "how long a batch waits for more callers (default ${DEFAULT-VALUE})")
    long batchWaitMicros;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", paramLabel = "N", description = "request body limit (default ${DEFAULT-VALUE})")
    int maxBodyBytes;

    @Option(names = "--max-texts", defaultValue = "256", paramLabel = "N", description = "texts per request (default ${DEFAULT-VALUE})")
    int maxTexts;

    @Option(names = "--max-text-chars", defaultValue = "20000", paramLabel = "N", description = "characters per text (default ${DEFAULT-VALUE})")
    int maxTextChars;

    @Mixin
    HubOptions hub;

    @Option(names = "--preload", description = "load the default encoder (and the NER, fill-mask, LM, CLIP, diffusion and Point-E models) before listening")
    boolean preload;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        String key = apiKey != null ? apiKey : System.getenv("GENAI4J_API_KEY");
        if (key != null && key.isBlank()) key = null;
        Genai4jServer server;
        try {
            Limits defaults = Limits.defaults();
            // hub models the operator names are fetched now (or found in the cache with --offline); the hub cache
            // then serves as one more model root, so requests may name hf:org/name models already cached there
            for (String m : java.util.Arrays.asList(embedModel, nerModel, fillMaskModel, lmModel, clipModel, diffusionModel, pointeModel, pointeImagesModel)) {
                if (ModelLocator.isHub(m)) ModelLocator.locate(m, hub);
            }
            List<Path> roots = new ArrayList<>(modelRoots);
            Path hubCache = hub.config().cacheDir();
            if (java.nio.file.Files.isDirectory(hubCache)) roots.add(hubCache);
            ServerConfig config = ServerConfig.builder().host(host).port(port).apiKey(key).modelRoots(roots).embedModel(embedModel)
                    .nerModel(nerModel).fillMaskModel(fillMaskModel).lmModel(lmModel).clipModel(clipModel).diffusionModel(diffusionModel).pointeModel(pointeModel).pointeImagesModel(pointeImagesModel).queueCapacity(queue).batchMaxTexts(batchMaxTexts)
                    .batchMaxWaitMicros(batchWaitMicros)
                    .limits(new Limits(maxBodyBytes, maxTextChars, maxTexts, defaults.maxLabels(), defaults.maxLabelChars(), defaults.maxTopK(),
                            maxNewTokens, maxImageBytes, maxImagePixels, maxImages))
                    .build();
            server = Genai4jServer.start(config, List.of());
            if (preload) preload(server);
        } catch (RuntimeException e) {
            err.println("serve: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                    + (e.getCause() instanceof java.net.BindException b ? " (" + b.getMessage() + ")" : ""));
            err.flush();
            return ExitCodes.of(e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "genai4j-serve-shutdown"));
        out.println("genai4j serve: listening on " + server.uri() + " (default encoder " + server.context().models().defaultEmbeddingId()
                + ", API key " + (key == null ? "not required" : "required") + "); Ctrl-C stops");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void preload(Genai4jServer server) {
        var models = server.context().models();
        models.embedding(null);
        for (var m : models.list()) {
            if (m.task().equals("ner")) models.withNer(g -> null);
            if (m.task().equals("fill-mask")) models.withFillMask(f -> null);
            if (m.task().equals("text-generation")) models.withLm(f -> null);
            if (m.task().equals("zero-shot-image-classification")) models.withClip(f -> null);
            if (m.task().equals(dev.genai4j.server.ModelCatalog.TEXT_TO_IMAGE)) models.withDiffusion(f -> null);
            if (m.task().equals(dev.genai4j.server.ModelCatalog.TEXT_TO_POINT_CLOUD)) models.withPointE(f -> null);
        }
    }
}
