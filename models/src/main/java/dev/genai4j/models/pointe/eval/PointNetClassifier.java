package dev.genai4j.models.pointe.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.shapes.OutputFiles;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PointNet classifier (Qi et al., arXiv 1612.00593, the vanilla variant without T-nets or batch
 * norm): one MLP shared by every point (3 → 64 → 128 → 256, ReLU), max-pooling over the points
 * (order-invariant), then an MLP head (256 → 128 → classes). Used to score whether a generated
 * cloud has the prompted shape.
 *
 * <pre>{@code
 * PointNetClassifier net = PointNetClassifier.load(Path.of("runs/pointnet"));
 * String shape = net.predict(cloud);     // "cone"
 * }</pre>
 */
public final class PointNetClassifier extends Module {
    private final PointNetConfig config;
    private final List<Linear> pointMlp = new ArrayList<>();   // shared per point: [w_{i+1}, w_i]
    private final List<Linear> head = new ArrayList<>();

    /** Fresh weights (PyTorch's Linear init) from {@code rng}. */
    public PointNetClassifier(PointNetConfig config, Rng rng) {
        this.config = config;
        int in = 3;
        for (int i = 0; i < config.pointWidths().length; i++) {
            pointMlp.add(child("point." + i, new Linear(in, config.pointWidths()[i], true, rng)));
            in = config.pointWidths()[i];
        }
        for (int i = 0; i < config.headWidths().length; i++) {
            head.add(child("head." + i, new Linear(in, config.headWidths()[i], true, rng)));
            in = config.headWidths()[i];
        }
        head.add(child("head." + config.headWidths().length, new Linear(in, config.classes().size(), true, rng)));
    }

    public PointNetConfig config() { return config; }

    /** points: [B, N, 3] normalized ({@link PointNetInput}) → logits [B, classes]. */
    public Tensor forward(Tensor points) {
        int[] s = points.shape();
        if (s.length != 3 || s[2] != 3) throw ShapeException.of("PointNetClassifier", "points [B, N, 3]", s);
        Tensor h = points;
        for (Linear l : pointMlp) h = l.forward(h).relu();     // [B, N, w]
        Tensor g = h.max(1, false);                            // [B, w]: the global feature
        for (int i = 0; i < head.size(); i++) {
            g = head.get(i).forward(g);
            if (i < head.size() - 1) g = g.relu();
        }
        return g;                                              // [B, classes]
    }

    /** The most likely class name of {@code cloud} (its points normalized with a fixed seed). */
    public String predict(PointCloud cloud) {
        return config.classes().get(predictIndex(cloud));
    }

    /** Index of the most likely class of {@code cloud}. */
    public int predictIndex(PointCloud cloud) {
        float[] x = PointNetInput.normalize(cloud, config.points(), new Rng(0));
        try (var g = NoGrad.enter()) {
            return (int) forward(Tensor.of(x, 1, config.points(), 3)).argmax(1, false).item();
        }
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code dir}, each atomically. */
    public void save(Path dir) {
        SafetensorsWriter.save(dir.resolve("model.safetensors"), stateDict());
        ObjectNode o = JSON.createObjectNode();
        o.put("model_type", "pointnet");
        o.putPOJO("classes", config.classes());
        o.put("points", config.points());
        o.putPOJO("point_widths", config.pointWidths());
        o.putPOJO("head_widths", config.headWidths());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException("PointNetClassifier.save: cannot encode config: " + e.getMessage(), e);
        }
        OutputFiles.write(dir.resolve("config.json"), out -> out.write(bytes));
    }

    /** Loads a folder written by {@link #save}. */
    public static PointNetClassifier load(Path dir) {
        Path cfg = dir.resolve("config.json");
        if (!Files.exists(cfg)) throw new CheckpointException("PointNet folder " + dir + " has no config.json; train one with 'genai4j train pointnet'");
        JsonConfig c = JsonConfig.read(cfg);
        if (!c.getString("model_type", "").equals("pointnet")) {
            throw new CheckpointException(cfg + ": model_type is '" + c.getString("model_type", "") + "', expected 'pointnet'");
        }
        PointNetConfig config = new PointNetConfig(c.getStringList("classes"), c.getInt("points"), c.getIntArray("point_widths"), c.getIntArray("head_widths"));
        PointNetClassifier net = new PointNetClassifier(config, new Rng(0));
        try (SafetensorsWeights w = Weights.open(dir.resolve("model.safetensors"))) {
            java.util.Map<String, Tensor> state = new java.util.LinkedHashMap<>();
            for (String name : w.names()) state.put(name, w.get(name).copy());   // own the floats: the file is closed after
            net.loadStateDict(state, true);
        }
        net.eval();
        return net;
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}
