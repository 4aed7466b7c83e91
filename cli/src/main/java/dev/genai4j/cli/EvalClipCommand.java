package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.data.images.Twemoji;
import dev.genai4j.models.clip.train.ClipEvaluator;
import dev.genai4j.models.clip.train.ClipTowers;
import dev.genai4j.models.clip.train.ClipTrainer;
import dev.genai4j.models.clip.train.FashionCaptions;
import dev.genai4j.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genai4j eval clip}: the reported CLIP numbers of a trained folder, as JSON ({@link ClipEvaluator}). */
@Command(name = "clip",
        mixinStandardHelpOptions = true,
        description = {
                "Evaluates a CLIP folder trained by 'genai4j train clip' (HF CLIPModel or LiT layout) on",
                "held-out data and prints JSON: Fashion-MNIST zero-shot top-1 on the fixed 10,000-image test",
                "split (prompt-template ensemble), a linear probe on the same image features (fitted on",
                "--probe-train training images), zero-shot accuracy on held-out classes vs chance (classes",
                "read from the checkpoint's trainer_state.json or --hold-out-classes), and Twemoji",
                "text->image recall@1/@5 over the held-out 20 %% of emoji.",
                "",
                "Example:  genai4j eval clip --model runs/clip/checkpoint --json runs/clip/eval.json"
        })
final class EvalClipCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "trained CLIP folder (e.g. RUN/checkpoint)")
    Path model;

    @Option(names = "--hold-out-classes", paramLabel = "A,B", description = "held-out Fashion-MNIST classes (default: from the checkpoint)")
    String holdOut;

    @Option(names = "--probe-train", paramLabel = "N", description = "training images for the linear probe; 0 = no probe (default ${DEFAULT-VALUE})")
    int probeTrain = 10_000;

    @Option(names = "--no-fashion", description = "skip Fashion-MNIST")
    boolean noFashion;

    @Option(names = "--no-twemoji", description = "skip Twemoji")
    boolean noTwemoji;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the JSON here")
    Path json;

    @Option(names = "--threads", paramLabel = "N", description = "compute threads (default: all cores)")
    int threads = 0;

    @Override
    public Integer call() throws Exception {
        int[] held = holdOut != null ? FashionCaptions.parseClasses(holdOut) : savedHoldOut();
        Object[] result = new Object[1];
        Runnable body = () -> {
            try (ClipTowers t = ClipTowers.open(model, TrainClipCommand::minilm)) {
                result[0] = ClipEvaluator.evaluate(t, noFashion ? null : FashionMnist.load(), noTwemoji ? null : Twemoji.load(), held, probeTrain);
            }
        };
        if (threads > 0) Parallel.withThreads(threads, body); else body.run();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result[0];
        r.put("model", model.toString());
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
        System.out.println(text);
        if (json != null) dev.genai4j.data.shapes.OutputFiles.write(json, os -> os.write((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return 0;
    }

    private int[] savedHoldOut() {
        if (!Files.isRegularFile(model.resolve(ClipTrainer.STATE_FILE))) return new int[0];
        return ClipTrainer.configIn(model).holdOut();
    }
}
