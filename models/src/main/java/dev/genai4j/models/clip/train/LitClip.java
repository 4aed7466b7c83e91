package dev.genai4j.models.clip.train;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.clip.ClipConfig;
import dev.genai4j.models.clip.ClipModel;
import dev.genai4j.models.clip.ClipVisionConfig;
import dev.genai4j.models.clip.ClipVisionTransformer;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * LiT-style CLIP (Zhai et al., arXiv 2111.07991): a ViT image tower trained from scratch against
 * a locked text encoder, here the real all-MiniLM-L6-v2 (mean-pooled, normalized, as
 * {@code genai4j embed} computes it) followed by a learned linear projection 384 → P. The text
 * encoder is frozen, so each caption's sentence embedding is computed once ({@link #embedCaptions}).
 * Class names never seen in training still map somewhere sensible through MiniLM.
 *
 * <p>Folder layout (not an HF {@code CLIPModel}: its text tower is another model):
 * <pre>
 *   lit_config.json           {"model_type": "clip-lit", "projection_dim": P, "text_encoder": "all-minilm-l6-v2",
 *                              "text_embed_dim": 384, "vision_config": {HF CLIPVisionConfig}}
 *   model.safetensors         vision_model.*, visual_projection.weight [P, Dv],
 *                             text_projection.weight [P, 384], logit_scale
 *   preprocessor_config.json  as an HF CLIP folder
 * </pre>
 * {@link #load} reads it back; the text encoder is found by name through {@code ModelStore}.
 *
 * <pre>{@code
 * LitClip lit = LitClip.load(dir);
 * Tensor txt = lit.projectText(minilmEmbeddings);   // [M, 384] → [M, P]
 * }</pre>
 */
public final class LitClip extends Module implements ContrastiveModel {
    public static final String CONFIG_FILE = "lit_config.json";
    public static final String TEXT_ENCODER = "all-minilm-l6-v2";
    public static final int TEXT_DIM = 384;

    private final ClipVisionConfig vision;
    private final int projectionDim;
    private final ClipVisionTransformer visionModel;
    private final Linear visualProjection;   // [P, Dv]
    private final Linear textProjection;     // [P, 384]
    private final Parameter logitScale;
    private Tensor captionEmbeddings;         // [C, 384] frozen MiniLM embeddings of the training captions, or null

    private LitClip(ClipVisionConfig vision, int projectionDim, Weights w) {
        this.vision = vision;
        this.projectionDim = projectionDim;
        this.visionModel = child("vision_model", ClipVisionTransformer.load(w.sub("vision_model"), vision));
        this.visualProjection = child("visual_projection", Linear.load(w.sub("visual_projection"), vision.hiddenSize(), projectionDim, false));
        this.textProjection = child("text_projection", Linear.load(w.sub("text_projection"), TEXT_DIM, projectionDim, false));
        this.logitScale = param("logit_scale", w.get("logit_scale"));
    }

    /** Fresh weights for the image tower, both projections and logit_scale. */
    public static Map<String, Tensor> init(ClipConfig c, dev.genai4j.tensor.Rng rng) {
        Map<String, Tensor> w = new java.util.LinkedHashMap<>();
        ClipInit.vision(w, "vision_model.", c.vision(), rng);
        w.put("visual_projection.weight", ClipInit.normal(rng, (float) Math.pow(c.vision().hiddenSize(), -0.5), c.projectionDim(), c.vision().hiddenSize()));
        w.put("text_projection.weight", ClipInit.normal(rng, (float) Math.pow(TEXT_DIM, -0.5), c.projectionDim(), TEXT_DIM));
        w.put("logit_scale", Tensor.of(new float[]{ClipInit.LOGIT_SCALE_INIT}));
        return w;
    }

    public static LitClip create(ClipVisionConfig vision, int projectionDim, Map<String, Tensor> weights) {
        return new LitClip(vision, projectionDim, Weights.ofMap(weights));
    }

    /** Reads a folder written by {@link #saveFolder}. */
    public static LitClip load(Path dir) {
        Path cfg = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(cfg)) throw new CheckpointException(dir + " has no " + CONFIG_FILE + "; not a LiT CLIP folder (see LitClip)");
        JsonConfig j = JsonConfig.read(cfg);
        if (!"clip-lit".equals(j.getString("model_type", ""))) {
            throw new CheckpointException(cfg + ": model_type is '" + j.getString("model_type", "") + "', expected 'clip-lit'");
        }
        int p = j.getInt("projection_dim");
        // the vision config is an HF CLIPVisionConfig: read it through a CLIPConfig wrapper
        Map<String, Object> wrapper = Map.of("model_type", "clip", "projection_dim", p,
                "vision_config", ClipFolders.JSON.convertValue(j.tree().get("vision_config"), Map.class));
        ClipVisionConfig v = ClipConfig.from(JsonConfig.of(wrapper)).vision();
        try (SafetensorsWeights w = Weights.open(dir.resolve("model.safetensors"))) {
            Map<String, Tensor> copies = new java.util.LinkedHashMap<>();
            for (String name : w.names()) copies.put(name, Tensor.of(w.get(name).toFloatArray(), w.get(name).shape()));
            LitClip m = new LitClip(v, p, Weights.ofMap(copies));
            m.eval();
            return m;
        }
    }

    /** Embeds {@code captions} with the frozen MiniLM (normalized mean pooling) once, for training. */
    public void embedCaptions(Embedder minilm, List<String> captions) {
        float[][] e = minilm.embed(captions);
        float[] flat = new float[e.length * TEXT_DIM];
        for (int i = 0; i < e.length; i++) System.arraycopy(e[i], 0, flat, i * TEXT_DIM, TEXT_DIM);
        this.captionEmbeddings = Tensor.of(flat, e.length, TEXT_DIM);
    }

    /** Uses already computed caption embeddings [C, 384] (a cache). */
    public void setCaptionEmbeddings(Tensor e) { this.captionEmbeddings = e; }

    public Tensor captionEmbeddings() { return captionEmbeddings; }

    public ClipVisionConfig visionConfig() { return vision; }

    @Override
    public Tensor imageFeatures(Tensor pixels) { return visualProjection.forward(visionModel.forward(pixels).pooled()); }

    /** MiniLM sentence embeddings [M, 384] → projected text features [M, P]. */
    public Tensor projectText(Tensor sentenceEmbeddings) { return textProjection.forward(sentenceEmbeddings); }

    @Override
    public Tensor textFeatures(int[] captions) {
        if (captionEmbeddings == null) throw new IllegalStateException("LitClip: caption embeddings not computed (call embedCaptions first)");
        Tensor rows;
        try (var g = NoGrad.enter()) {
            rows = captionEmbeddings.indexSelect(0, captions).contiguous();   // [B, 384], frozen
        }
        return projectText(rows);
    }

    @Override
    public Parameter logitScale() { return logitScale; }

    @Override
    public Module module() { return this; }

    /** exp(logit_scale). */
    public float scale() { return (float) Math.exp(logitScale.value().toFloatArray()[0]); }

    @Override
    public void saveFolder(Path dir) {
        try {
            Files.createDirectories(dir);
            new SafetensorsWriter().write(dir.resolve("model.safetensors"), stateDict());
            Map<String, Object> cfg = new java.util.LinkedHashMap<>();
            cfg.put("model_type", "clip-lit");
            cfg.put("projection_dim", projectionDim);
            cfg.put("text_encoder", TEXT_ENCODER);
            cfg.put("text_embed_dim", TEXT_DIM);
            cfg.put("text_pooling", "mean, L2-normalized (sentence-transformers)");
            cfg.put("vision_config", ClipFolders.visionConfig(vision));
            ClipFolders.writeJson(dir.resolve(CONFIG_FILE), cfg);
            ClipFolders.writeJson(dir.resolve("preprocessor_config.json"), ClipFolders.preprocessor(vision.imageSize()));
        } catch (IOException e) {
            throw new CheckpointException("cannot write the LiT folder " + dir + ": " + e, e);
        }
    }

    static boolean isLit(Path dir) { return Files.isRegularFile(dir.resolve(CONFIG_FILE)); }
}
