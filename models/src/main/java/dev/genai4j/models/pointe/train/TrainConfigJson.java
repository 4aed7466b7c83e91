package dev.genai4j.models.pointe.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.CheckpointException;

import java.nio.file.Path;

/** A {@link PointETrainConfig} in {@code trainer_state.json}, so that a resumed run keeps its architecture and data. */
final class TrainConfigJson {
    private TrainConfigJson() {}

    static ObjectNode write(PointETrainConfig c) {
        ObjectNode o = PointECheckpoint.JSON.createObjectNode();
        o.put("data", c.data().toAbsolutePath().toString());
        if (c.clipDir() != null) o.put("clip_dir", c.clipDir().toAbsolutePath().toString());
        o.put("image_size", c.imageSize());
        o.put("patch", c.patch());
        o.put("points", c.points());
        o.put("width", c.width());
        o.put("layers", c.layers());
        o.put("heads", c.heads());
        o.put("timesteps", c.timesteps());
        o.put("batch", c.batch());
        o.put("lr", c.lr());
        o.put("weight_decay", c.weightDecay());
        o.put("warmup", c.warmup());
        o.put("ema_decay", c.emaDecay());
        o.put("cond_drop", c.condDrop());
        o.put("grad_clip", c.gradClip());
        o.put("seed", c.seed());
        o.put("hold_out", c.holdOut());
        o.put("position_features", c.positionFeatures());
        o.put("image_noise", c.imageNoise());
        o.put("snr_weight_cap", c.snrWeightCap());
        o.put("low_res", c.lowRes());
        o.put("point_frequencies", c.pointFrequencies());
        o.put("timestep_power", c.timestepPower());
        return o;
    }

    /**
     * The saved settings, with the run-length and logging settings of {@code now}, and its timestep power when that is not
     * the uniform 1 (so a run can go on with low-noise steps drawn more often; not back to uniform).
     */
    static PointETrainConfig read(JsonNode o, PointETrainConfig now) {
        if (o == null || !o.isObject()) throw new CheckpointException("Point-E checkpoint: trainer_state.json has no train_config object");
        Path clip = o.hasNonNull("clip_dir") ? Path.of(o.get("clip_dir").asText()) : null;
        if (now.clipDir() != null) clip = now.clipDir();
        return new PointETrainConfig(Path.of(o.get("data").asText()), now.output(), clip, o.get("image_size").asInt(), o.get("patch").asInt(),
                o.get("points").asInt(), o.get("width").asInt(), o.get("layers").asInt(), o.get("heads").asInt(), o.get("timesteps").asInt(),
                now.steps(), o.get("batch").asInt(), o.get("lr").asDouble(), o.get("weight_decay").asDouble(), o.get("warmup").asInt(),
                o.get("ema_decay").asDouble(), o.get("cond_drop").asDouble(), o.get("grad_clip").asDouble(), o.get("seed").asLong(),
                now.logEvery(), now.checkpointEvery(), now.maxMinutes(), o.get("hold_out").asInt(),
                o.path("position_features").asInt(0), o.path("image_noise").asDouble(0), o.path("snr_weight_cap").asDouble(1),
                o.path("low_res").asInt(0), o.path("point_frequencies").asInt(0),   // runs from before these settings: 0
                now.timestepPower() != 1 ? now.timestepPower() : o.path("timestep_power").asDouble(1));   // a non-uniform draw asked for now wins
    }
}
