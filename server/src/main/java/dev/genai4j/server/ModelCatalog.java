package dev.genai4j.server;

import dev.genai4j.io.hub.HubCache;
import dev.genai4j.io.hub.HubModelId;
import dev.genai4j.io.hub.InvalidHubIdException;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.diffusion.DefaultDiffusionModel;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.gliner.Gliner;
import dev.genai4j.models.modernbert.FillMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The models the server can answer with, each loaded once on first use and shared:
 * the default encoder ({@link ServerConfig#embedModel()}), any other encoder a request names
 * (a known {@link ModelStore} name already on this machine, or a folder under a model root),
 * the NER, fill-mask, text-generation, CLIP and Point-E models when the operator configured them, and a
 * text-to-image diffusion model (the shipped Fashion-MNIST one unless the operator names another).
 *
 * <p>Folders the operator names on the command line are trusted; names that come in requests
 * only ever resolve through {@link ModelRoots}. A hub id {@code hf:org/name[@rev]} (from the
 * operator or a request) resolves to its snapshot in a model root laid out as a Hugging Face hub
 * cache ({@code genai4j serve} adds the user's hub cache as a root), never downloading anything.
 *
 * <pre>{@code
 * EmbeddingModel m = catalog.embedding(null);                  // the default encoder
 * List<Entity> es = catalog.withNer(g -> g.extract(text, labels, ExtractOptions.defaults()));
 * }</pre>
 */
public final class ModelCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    /** Encoders loaded at once: each holds ~100 MB of weights, so a client cannot make us load many. */
    static final int MAX_EMBEDDING_MODELS = 8;

    /** One row of {@code /v1/models} and {@code /info}. */
    public record ModelInfo(String id, String task, boolean loaded) {}

    private final ServerConfig config;
    private final ModelRoots roots;
    private final Metrics metrics;
    private final String defaultEmbedId;
    private final Map<String, LazyModel<EmbeddingModel>> embedders = new ConcurrentHashMap<>();
    private final LazyModel<Gliner> ner;
    private final LazyModel<FillMask> fillMask;
    private final LazyModel<LanguageModel> lm;
    private final LazyModel<ClipPipeline> clip;
    private final LazyModel<DiffusionPipeline> diffusion;
    private final LazyModel<PointCloudModel> pointe;
    private final List<ModelInfo> advertised = new CopyOnWriteArrayList<>();

    public ModelCatalog(ServerConfig config, Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.roots = new ModelRoots(config.modelRoots());
        String embed = config.embedModel();
        if (isKnown(embed)) {
            String name = ModelStore.known(embed).name();
            defaultEmbedId = name;
            embedders.put(name, encoder(name, () -> ModelStore.get(name)));
        } else {
            Path dir = operatorFolder(embed, "--embed-model");
            defaultEmbedId = displayId(embed, dir);
            embedders.put(defaultEmbedId, encoder(defaultEmbedId, () -> dir));
        }
        if (config.nerModel() != null) {
            Path dir = operatorFolder(config.nerModel(), "--ner-model");
            ner = new LazyModel<>(displayId(config.nerModel(), dir), "ner", () -> Gliner.load(dir));
        } else {
            ner = null;
        }
        if (config.fillMaskModel() != null) {
            Path dir = operatorFolder(config.fillMaskModel(), "--fill-mask-model");
            fillMask = new LazyModel<>(displayId(config.fillMaskModel(), dir), "fill-mask", () -> FillMask.load(dir));
        } else {
            fillMask = null;
        }
        if (config.lmModel() != null) {
            Path dir = operatorFolder(config.lmModel(), "--lm");
            String id = displayId(config.lmModel(), dir);
            lm = new LazyModel<>(id, "text-generation", () -> LanguageModel.load(id, dir));
        } else {
            lm = null;
        }
        if (config.clipModel() != null) {
            Path dir = operatorFolder(config.clipModel(), "--clip");
            clip = new LazyModel<>(displayId(config.clipModel(), dir), "zero-shot-image-classification", () -> ClipPipeline.load(dir));
        } else {
            clip = null;
        }
        // the text-to-image folder, found now (a wrong --diffusion fails at start) but unpacked from the jar only on first use
        java.util.function.Supplier<Path> diffusionDir;
        String diffusionName;
        if (config.diffusionModel() != null) {
            Path dir = operatorFolder(config.diffusionModel(), "--diffusion");
            diffusionName = displayId(config.diffusionModel(), dir);
            diffusionDir = () -> dir;
        } else if (DefaultDiffusionModel.shipped()) {
            diffusionName = DEFAULT_DIFFUSION_ID;
            diffusionDir = DefaultDiffusionModel::folder;
        } else {
            diffusionName = null;
            diffusionDir = null;
        }
        diffusion = diffusionDir == null ? null : new LazyModel<>(diffusionName, TEXT_TO_IMAGE, () -> DiffusionPipeline.load(diffusionDir.get()));
        if (config.pointeModel() != null) {
            Path location = operatorLocation(config.pointeModel(), "--pointe");
            String id = displayId(config.pointeModel(), location);
            PointCloudModel.Drawer drawer;
            if (config.pointeImagesModel() != null) {
                Path dir = operatorFolder(config.pointeImagesModel(), "--pointe-images");
                drawer = new PointCloudModel.Drawer(displayId(config.pointeImagesModel(), dir), () -> dir, false);
            } else {
                drawer = diffusionDir == null ? null : new PointCloudModel.Drawer(diffusionName, diffusionDir, config.diffusionModel() == null);
            }
            pointe = new LazyModel<>(id, TEXT_TO_POINT_CLOUD, () -> PointCloudModel.load(id, location, drawer));
        } else {
            pointe = null;
        }
    }

    /** The task names of the generative models in {@code /v1/models} and {@code /info}. */
    public static final String TEXT_TO_IMAGE = "text-to-image", TEXT_TO_POINT_CLOUD = "text-to-point-cloud";
    /** The id the shipped diffusion model is listed under. */
    public static final String DEFAULT_DIFFUSION_ID = "diffusion-fashion-mnist";

    public ModelRoots roots() { return roots; }

    public String defaultEmbeddingId() { return defaultEmbedId; }

    /**
     * The encoder a request names ({@code null} or blank: the default), loaded if needed.
     *
     * @throws ApiException 404 for a name that is not served, 403 for one outside the model roots
     */
    public EmbeddingModel embedding(String requested) {
        if (requested == null || requested.isBlank() || requested.equals(defaultEmbedId) || requested.equals(config.embedModel())) {
            return embedders.get(defaultEmbedId).get();
        }
        LazyModel<EmbeddingModel> m = embedders.get(requested);
        if (m != null) return m.get();
        if (isKnown(requested)) {
            String name = ModelStore.known(requested).name();
            if (!ModelStore.isCached(name) && !Files.isRegularFile(ModelStore.jarPath(ModelStore.known(name)))) {
                throw ApiException.notFound("model", "model_not_found", "model '" + name
                        + "' is a known encoder but is not on this server yet; run 'genai4j models get " + name + "' there first");
            }
            return register(name, () -> ModelStore.get(name)).get();
        }
        Path dir = HubModelId.isHubId(requested)
                ? hubSnapshot(requested).orElseThrow(() -> ApiException.notFound("model", "model_not_found", "hub model '"
                        + RequestJson.clip(requested, 80) + "' is not in this server's hub cache; run 'genai4j models download "
                        + RequestJson.clip(requested, 80) + "' on the server first"))
                : roots.resolve(requested).orElseThrow(() -> ApiException.notFound("model", "model_not_found", "model '"
                        + RequestJson.clip(requested, 80) + "' is not served here; use '" + defaultEmbedId + "', a known encoder "
                        + ModelStore.KNOWN.stream().map(ModelStore.Known::name).toList() + " or a folder under a --model-root"));
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw ApiException.notFound("model", "model_not_found", "model '" + RequestJson.clip(requested, 80)
                    + "' is a folder without config.json and tokenizer.json, not an encoder");
        }
        return register(requested, () -> dir).get();
    }

    /** Runs {@code task} on the NER model, one request at a time; 404 {@code model_not_configured} when there is none. */
    public <R> R withNer(java.util.function.Function<Gliner, R> task) {
        if (ner == null) {
            throw ApiException.notFound("model", "model_not_configured", "no NER model is configured on this server; start it with "
                    + "'genai4j serve --ner-model DIR' (a GLiNER folder with gliner_config.json, model.safetensors and tokenizer.json)");
        }
        Gliner g = ner.get();
        synchronized (g) {
            return task.apply(g);
        }
    }

    /** Runs {@code task} on the fill-mask model, one request at a time; 404 {@code model_not_configured} when there is none. */
    public <R> R withFillMask(java.util.function.Function<FillMask, R> task) {
        if (fillMask == null) {
            throw ApiException.notFound("model", "model_not_configured", "no fill-mask model is configured on this server; start it with "
                    + "'genai4j serve --fill-mask-model DIR' (a ModernBERT masked-LM folder with config.json, model.safetensors and tokenizer.json)");
        }
        FillMask fm = fillMask.get();
        synchronized (fm) {
            return task.apply(fm);
        }
    }

    /** The text-generation model's id, or null when none is configured (nothing is loaded). */
    public String lmId() { return lm == null ? null : lm.id(); }

    /** The CLIP model's id, or null when none is configured (nothing is loaded). */
    public String clipId() { return clip == null ? null : clip.id(); }

    /**
     * Runs {@code task} on the language model, one generation at a time (a stream holds it until it
     * ends); 404 {@code model_not_configured} when there is none.
     */
    public <R> R withLm(java.util.function.Function<LanguageModel, R> task) {
        if (lm == null) {
            throw ApiException.notFound("model", "model_not_configured", "no text-generation model is configured on this server; start it with "
                    + "'genai4j serve --lm DIR' (a Mixtral-style folder with config.json, model.safetensors and tokenizer.json)");
        }
        LanguageModel m = lm.get();
        synchronized (m) {
            return task.apply(m);
        }
    }

    /** Runs {@code task} on the CLIP model, one request at a time; 404 {@code model_not_configured} when there is none. */
    public <R> R withClip(java.util.function.Function<ClipPipeline, R> task) {
        if (clip == null) {
            throw ApiException.notFound("model", "model_not_configured", "no CLIP model is configured on this server; start it with "
                    + "'genai4j serve --clip DIR' (a CLIP folder with config.json, model.safetensors and tokenizer.json)");
        }
        ClipPipeline c = clip.get();
        synchronized (c) {
            return task.apply(c);
        }
    }

    /** The text-to-image model's id, or null when there is none (nothing is loaded). */
    public String diffusionId() { return diffusion == null ? null : diffusion.id(); }

    /** The Point-E model's id, or null when none is configured (nothing is loaded). */
    public String pointeId() { return pointe == null ? null : pointe.id(); }

    /** Runs {@code task} on the diffusion pipeline, one request at a time; 404 {@code model_not_configured} when there is none. */
    public <R> R withDiffusion(java.util.function.Function<DiffusionPipeline, R> task) {
        if (diffusion == null) {
            throw ApiException.notFound("model", "model_not_configured", "no text-to-image model is configured on this server and this build "
                    + "ships none; start it with 'genai4j serve --diffusion DIR' (a folder of 'genai4j train diffusion')");
        }
        DiffusionPipeline p = diffusion.get();
        synchronized (p) {
            return task.apply(p);
        }
    }

    /**
     * Runs {@code task} on the Point-E model, one request at a time; 503 {@code model_not_configured}
     * (no {@code Retry-After}: waiting will not help) when the server was started without one.
     */
    public <R> R withPointE(java.util.function.Function<PointCloudModel, R> task) {
        if (pointe == null) {
            throw new ApiException(503, "server_error", "model_not_configured", "model", "no Point-E model is loaded on this server (none is "
                    + "shipped); start it with 'genai4j serve --pointe DIR', DIR a run folder of 'genai4j train pointe' or a model folder "
                    + "with config.json and model.safetensors", null);
        }
        PointCloudModel m = pointe.get();
        synchronized (m) {
            return task.apply(m);
        }
    }

    /** Lets an extension list its own models in {@code /v1/models} and {@code /info}. */
    public void advertise(ModelInfo info) { advertised.add(info); }

    /** Every model this server can answer with: configured, loaded or advertised. */
    public List<ModelInfo> list() {
        List<ModelInfo> out = new ArrayList<>();
        LazyModel<EmbeddingModel> def = embedders.get(defaultEmbedId);
        out.add(new ModelInfo(defaultEmbedId, "embedding", def.isLoaded()));
        embedders.values().stream().filter(m -> !m.id().equals(defaultEmbedId)).sorted(java.util.Comparator.comparing(LazyModel::id))
                .forEach(m -> out.add(new ModelInfo(m.id(), "embedding", m.isLoaded())));
        if (ner != null) out.add(new ModelInfo(ner.id(), "ner", ner.isLoaded()));
        if (fillMask != null) out.add(new ModelInfo(fillMask.id(), "fill-mask", fillMask.isLoaded()));
        if (lm != null) out.add(new ModelInfo(lm.id(), lm.task(), lm.isLoaded()));
        if (clip != null) out.add(new ModelInfo(clip.id(), clip.task(), clip.isLoaded()));
        if (diffusion != null) out.add(new ModelInfo(diffusion.id(), diffusion.task(), diffusion.isLoaded()));
        if (pointe != null) out.add(new ModelInfo(pointe.id(), pointe.task(), pointe.isLoaded()));
        out.addAll(advertised);
        return out;
    }

    private LazyModel<EmbeddingModel> register(String id, java.util.function.Supplier<Path> folder) {
        synchronized (embedders) {
            LazyModel<EmbeddingModel> m = embedders.get(id);
            if (m != null) return m;
            if (embedders.size() >= MAX_EMBEDDING_MODELS) {
                throw ApiException.badRequest("model", "too_many_models", "this server already has " + embedders.size()
                        + " encoders (its limit); use one of " + embedders.keySet().stream().sorted().toList());
            }
            m = encoder(id, folder);
            embedders.put(id, m);
            return m;
        }
    }

    private LazyModel<EmbeddingModel> encoder(String id, java.util.function.Supplier<Path> folder) {
        return new LazyModel<>(id, "embedding", () -> EmbeddingModel.load(id, folder.get(), config.batchMaxTexts(), config.batchMaxWaitMicros(), metrics));
    }

    private static boolean isKnown(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ModelStore.KNOWN.stream().anyMatch(k -> k.name().equals(n));
    }

    /**
     * The cached snapshot of hub id {@code ref} in a model root that is a hub cache, checked by
     * {@link ModelRoots} like any other name (so a link out of the root is still refused).
     *
     * @throws ApiException 400 for a malformed id
     */
    private java.util.Optional<Path> hubSnapshot(String ref) {
        HubModelId id;
        try {
            id = HubModelId.parse(ref);
        } catch (InvalidHubIdException e) {
            throw ApiException.badRequest("model", "invalid_model", e.getMessage());
        }
        for (Path root : roots.roots()) {
            var snap = new HubCache(root).cachedSnapshot(id);
            if (snap.isPresent()) return roots.resolve(root.relativize(snap.get()).toString());
        }
        return java.util.Optional.empty();
    }

    /** The id a model is listed under: the repository for a hub id (not its commit folder), else the folder's name. */
    private static String displayId(String ref, Path dir) {
        return HubModelId.isHubId(ref) ? HubModelId.parse(ref).repo() : dir.getFileName().toString();
    }

    /** A folder the operator named: a hub id's cached snapshot, as given, else under a model root. */
    private Path operatorFolder(String ref, String option) {
        if (HubModelId.isHubId(ref)) {
            try {
                return hubSnapshot(ref).orElseThrow(() -> new IllegalArgumentException(option + " " + ref
                        + ": not in a hub cache among the model roots " + roots.roots() + "; run 'genai4j models download " + ref + "' first"));
            } catch (ApiException e) {
                throw new IllegalArgumentException(option + " " + ref + ": " + e.getMessage());
            }
        }
        Path p = Path.of(ref);
        if (Files.isDirectory(p)) return p.toAbsolutePath().normalize();
        try {
            var under = roots.resolve(ref);
            if (under.isPresent()) return under.get();
        } catch (ApiException e) {
            throw new IllegalArgumentException(option + " " + ref + ": " + e.getMessage());
        }
        throw new IllegalArgumentException(option + " " + ref + ": no such folder (nor under the model roots " + roots.roots() + ")");
    }

    /** As {@link #operatorFolder}, but a weights file (Point-E's {@code .safetensors} / {@code .pt} with config.json beside it) is taken too. */
    private Path operatorLocation(String ref, String option) {
        Path p = Path.of(ref);
        if (!HubModelId.isHubId(ref) && Files.isRegularFile(p)) return p.toAbsolutePath().normalize();
        return operatorFolder(ref, option);
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(embedders.values());
        if (ner != null) all.add(ner);
        if (fillMask != null) all.add(fillMask);
        if (lm != null) all.add(lm);
        if (clip != null) all.add(clip);
        if (diffusion != null) all.add(diffusion);
        if (pointe != null) all.add(pointe);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing a model failed: {}", e.toString());
            }
        }
    }
}
