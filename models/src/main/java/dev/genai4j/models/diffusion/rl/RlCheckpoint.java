package dev.genai4j.models.diffusion.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.CheckpointSwap;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The resumable checkpoint of an RL run, {@code <run>/checkpoint}: a model folder that
 * {@code genai4j txt2img --model} samples from (the fine-tuned UNet's {@code config.json} and
 * {@code diffusion_pytorch_model.safetensors}, {@code scheduler_config.json}, the base model's
 * {@code text_encoder.json}) plus {@code rl_state.safetensors} (optimizer, value function, the sft
 * sample set) and {@code rl_state.json} (epoch, method, reward, history, stat-tracker buffers).
 * Built in a temp folder and swapped in by renames, so a kill at any moment leaves a complete
 * checkpoint (the previous one possibly under {@code .checkpoint.old}, which {@link #read} falls back to).
 */
public final class RlCheckpoint {
    public static final String DIR = "checkpoint", OLD = ".checkpoint.old";
    public static final String TENSORS_FILE = "rl_state.safetensors", STATE_FILE = "rl_state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RlCheckpoint() {}

    /** What {@link #read} returns. */
    public record Loaded(Path dir, UNetConfig config, Map<String, Tensor> weights, Map<String, Tensor> tensors, JsonNode state) {}

    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(DIR).resolve(STATE_FILE)) || Files.isRegularFile(runDir.resolve(OLD).resolve(STATE_FILE));
    }

    /** @param textEncoderJson the base model's {@code text_encoder.json} to copy in (null: none, the folder then only resumes) */
    public static void write(Path runDir, UNet policy, NoiseSchedule schedule, Path textEncoderJson, Map<String, Tensor> tensors, JsonNode state) {
        Path target = runDir.resolve(DIR);
        try {
            CheckpointSwap.replace(target, runDir.resolve(OLD), tmp -> {
                policy.save(tmp);
                schedule.write(tmp.resolve(NoiseSchedule.CONFIG_FILE));
                if (textEncoderJson != null && Files.isRegularFile(textEncoderJson)) {
                    Files.copy(textEncoderJson, tmp.resolve(textEncoderJson.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                new SafetensorsWriter().write(tmp.resolve(TENSORS_FILE), tensors);
                Files.write(tmp.resolve(STATE_FILE), JSON.writeValueAsBytes(state));
            });
        } catch (IOException e) {
            throw new CheckpointException("cannot write the RL checkpoint " + target + ": " + e, e);
        }
    }

    public static Loaded read(Path runDir) {
        Path dir = runDir.resolve(DIR);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) dir = runDir.resolve(OLD);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) {
            throw new CheckpointException("no RL checkpoint to resume in " + runDir.toAbsolutePath() + " (expected " + DIR + "/" + STATE_FILE + ")");
        }
        try {
            return new Loaded(dir, UNetConfig.read(dir.resolve(UNet.CONFIG_FILE)), readAll(dir.resolve(UNet.WEIGHTS_FILE)),
                    readAll(dir.resolve(TENSORS_FILE)), JSON.readTree(dir.resolve(STATE_FILE).toFile()));
        } catch (IOException e) {
            throw new CheckpointException("cannot read the RL checkpoint " + dir + ": " + e, e);
        }
    }

    /** Every tensor of a safetensors file as an fp32 heap copy (the file may be replaced after). */
    static Map<String, Tensor> readAll(Path file) {
        return UNet.readAll(file);
    }

    static void deleteTree(Path dir) throws IOException {
        CheckpointSwap.deleteTree(dir);
    }
}
