package dev.genai4j.models.diffusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.io.CheckpointSwap;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The resumable checkpoint of a diffusion run, {@code <run>/checkpoint}: a complete model folder
 * that {@link DiffusionPipeline#load} samples from (the EMA weights as
 * {@code diffusion_pytorch_model.safetensors}, {@code config.json}, {@code scheduler_config.json},
 * {@code text_encoder.json}) plus the raw weights ({@code unet_raw.safetensors}), the AdamW state
 * ({@code optimizer.safetensors}) and {@code trainer_state.json}. It is built in a temp folder and
 * swapped in by renames, so a kill at any moment leaves a complete checkpoint (the previous one
 * possibly under {@code .checkpoint.old}, which {@link #read} falls back to).
 */
public final class DiffusionCheckpoint {
    public static final String DIR = "checkpoint", OLD = ".checkpoint.old";
    public static final String RAW_FILE = "unet_raw.safetensors", OPTIMIZER_FILE = "optimizer.safetensors", STATE_FILE = "trainer_state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DiffusionCheckpoint() {}

    /** What {@link #read} returns. */
    public record Loaded(Path dir, UNetConfig config, Map<String, Tensor> ema, Map<String, Tensor> raw, Map<String, Tensor> optimizer, JsonNode state) {}

    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(DIR).resolve(STATE_FILE)) || Files.isRegularFile(runDir.resolve(OLD).resolve(STATE_FILE));
    }

    public static void write(Path runDir, UNet unet, Map<String, Tensor> emaWeights, NoiseSchedule schedule, PromptEncoder encoder,
                             Map<String, Tensor> optimizer, JsonNode state) {
        Path target = runDir.resolve(DIR);
        try {
            CheckpointSwap.replace(target, runDir.resolve(OLD), tmp -> {
                unet.save(tmp, emaWeights);
                schedule.write(tmp.resolve(NoiseSchedule.CONFIG_FILE));
                DiffusionPipeline.writeTextEncoder(tmp, encoder);
                new SafetensorsWriter().write(tmp.resolve(RAW_FILE), unet.stateDict());
                new SafetensorsWriter().write(tmp.resolve(OPTIMIZER_FILE), optimizer);
                Files.write(tmp.resolve(STATE_FILE), JSON.writeValueAsBytes(state));
            });
        } catch (IOException e) {
            throw new CheckpointException("cannot write the diffusion checkpoint " + target + ": " + e, e);
        }
    }

    public static Loaded read(Path runDir) {
        Path dir = runDir.resolve(DIR);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) dir = runDir.resolve(OLD);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) {
            throw new CheckpointException("no diffusion checkpoint to resume in " + runDir.toAbsolutePath() + " (expected " + DIR + "/" + STATE_FILE + ")");
        }
        try {
            return new Loaded(dir, UNetConfig.read(dir.resolve(UNet.CONFIG_FILE)), UNet.readAll(dir.resolve(UNet.WEIGHTS_FILE)),
                    UNet.readAll(dir.resolve(RAW_FILE)), UNet.readAll(dir.resolve(OPTIMIZER_FILE)), JSON.readTree(dir.resolve(STATE_FILE).toFile()));
        } catch (IOException e) {
            throw new CheckpointException("cannot read the diffusion checkpoint " + dir + ": " + e, e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        CheckpointSwap.deleteTree(dir);
    }
}
