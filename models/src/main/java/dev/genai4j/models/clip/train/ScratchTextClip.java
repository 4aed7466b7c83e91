package dev.genai4j.models.clip.train;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.clip.ClipConfig;
import dev.genai4j.models.clip.ClipModel;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * CLIP with both towers trained from scratch: our {@link ClipModel} (ViT image tower, causal text
 * transformer) and the caption BPE of {@link CaptionTokenizer}. Captions are tokenized once; a
 * batch pads them to its longest. Saves an HF {@code CLIPModel} folder that
 * {@code genai4j clip classify} and {@link dev.genai4j.models.clip.ClipPipeline} load.
 *
 * <pre>{@code
 * ScratchTextClip m = ScratchTextClip.create(config, weights, tokenizerJson, data.captions());
 * Tensor t = m.textFeatures(new int[]{0, 5});   // [2, P]
 * }</pre>
 */
public final class ScratchTextClip implements ContrastiveModel {
    private final ClipConfig config;
    private final ClipModel model;
    private final Path tokenizerJson;
    private final int[][] tokens;   // per caption: bos … eos, at most max_position_embeddings

    private ScratchTextClip(ClipConfig config, ClipModel model, Path tokenizerJson, int[][] tokens) {
        this.config = config;
        this.model = model;
        this.tokenizerJson = tokenizerJson;
        this.tokens = tokens;
        model.train(true);
    }

    /** Builds the model on {@code weights} (HF names) and tokenizes {@code captions} with {@code tokenizerJson}. */
    public static ScratchTextClip create(ClipConfig config, Map<String, Tensor> weights, Path tokenizerJson, List<String> captions) {
        ClipModel m = ClipModel.load(Weights.ofMap(weights), config);
        int max = config.text().maxPositionEmbeddings();
        int[][] tok = new int[captions.size()][];
        try (HfTokenizer t = HfTokenizer.load(tokenizerJson)) {
            for (int i = 0; i < tok.length; i++) {
                int[] ids = t.encode(captions.get(i)).ids();
                if (ids.length > max) {
                    int[] kept = java.util.Arrays.copyOf(ids, max);
                    kept[max - 1] = ids[ids.length - 1];   // keep the end-of-text token pooling reads
                    ids = kept;
                }
                tok[i] = ids;
            }
        }
        return new ScratchTextClip(config, m, tokenizerJson, tok);
    }

    public ClipModel clip() { return model; }

    /** Token ids of caption {@code i} (bos … eos). */
    public int[] tokens(int i) { return tokens[i].clone(); }

    @Override
    public Tensor imageFeatures(Tensor pixels) { return model.imageFeatures(pixels); }

    @Override
    public Tensor textFeatures(int[] captions) {
        int longest = 0;
        for (int c : captions) longest = Math.max(longest, tokens[c].length);
        float[] ids = new float[captions.length * longest], mask = new float[ids.length];
        for (int b = 0; b < captions.length; b++) {
            int[] r = tokens[captions[b]];
            for (int j = 0; j < longest; j++) {
                ids[b * longest + j] = j < r.length ? r[j] : CaptionTokenizer.PAD;
                mask[b * longest + j] = j < r.length ? 1 : 0;
            }
        }
        return model.textFeatures(Tensor.of(ids, captions.length, longest), Tensor.of(mask, captions.length, longest));
    }

    @Override
    public Parameter logitScale() { return model.namedParameters().get("logit_scale"); }

    @Override
    public Module module() { return model; }

    @Override
    public void saveFolder(Path dir) {
        try {
            Files.createDirectories(dir);
            new SafetensorsWriter().write(dir.resolve("model.safetensors"), model.stateDict());
            ClipFolders.writeJson(dir.resolve("config.json"), ClipFolders.config(config));
            ClipFolders.writeJson(dir.resolve("preprocessor_config.json"), ClipFolders.preprocessor(config.vision().imageSize()));
            Files.copy(tokenizerJson, dir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CheckpointException("cannot write the CLIP folder " + dir + ": " + e, e);
        }
    }
}
