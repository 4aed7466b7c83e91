package dev.genai4j.models.diffusion.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.diffusion.ClassPrompts;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.SampleImages;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The base text-to-image model's sample quality, judged by the independent classifier (never a
 * reward model): {@code perClass} samples for each class prompt (the class word in one template),
 * then
 * <ul>
 *   <li>the judge's accuracy on the prompted class, overall and per class;</li>
 *   <li>the Fréchet distance, in the judge's feature space, between the samples and a
 *       class-balanced, seeded reference set of real held-out images;</li>
 *   <li>as a yardstick, the same distance for a second, disjoint, class-balanced set of real
 *       held-out images of the samples' size (Fréchet estimates are biased upwards for small
 *       sets: this is what a perfect model would score at this size);</li>
 *   <li>diversity: the mean pairwise feature distance within each class, samples vs that real set.</li>
 * </ul>
 * Class {@code c} is sampled exactly as {@code genai4j txt2img PROMPT -n perClass --seed (seed + 1000·c)}
 * with the same steps, guidance and DDIM η would sample it (batches of {@link #BATCH}).
 *
 * <pre>{@code
 * FashionMnist fm = FashionMnist.load();
 * LabeledImages test = LabeledImages.fashionMnist(fm, fm.standardSplit().test());
 * try (DiffusionPipeline p = DiffusionPipeline.load(dir)) {
 *     BaseModelEvaluation.Result r = BaseModelEvaluation.evaluate(p, ShippedClassifier.EVALUATOR.load(), test,
 *             BaseModelEvaluation.Options.defaults(), done -> {});
 *     System.out.print(r.table());
 * }
 * }</pre>
 */
public final class BaseModelEvaluation {
    private BaseModelEvaluation() {}

    /** Images generated at once per class (txt2img's batch, so its {@code --seed} reproduces a class). */
    public static final int BATCH = 16;
    /** Class c's first noise seed is {@code seed + SEED_STRIDE · c}. */
    public static final long SEED_STRIDE = 1000;
    /** The plain template txt2img users type; also the first training template. */
    public static final String DEFAULT_TEMPLATE = ClassPrompts.TRAIN_TEMPLATES.get(0);

    /**
     * What to measure.
     *
     * @param perClass  samples per class (≥ 1; diversity needs ≥ 2)
     * @param guidance  classifier-free guidance weight (≥ 0)
     * @param steps     DDIM steps (η = {@code eta}), 1 .. the schedule length
     * @param eta       DDIM η (txt2img's default 1)
     * @param seed      noise seed of class 0 (class c: seed + 1000·c)
     * @param template  prompt template with one {@code {}} for the class word
     * @param realCount real held-out images in the Fréchet reference set (≥ 2), spread evenly over the classes
     * @param guidanceRescale  guidance rescale φ ∈ [0, 1], 0 = off (see {@link SamplerOptions})
     * @param dynamicThreshold dynamic thresholding of x̂_0 instead of the [−1, 1] clip, null = off
     * @param realSeed  seed of the real-image choice (reference and yardstick sets). The other constructors
     *                  take {@code seed}, as every run did before the two could differ; apart, they tell a
     *                  Fréchet distance's spread from the sample noise from its spread from the reference set
     */
    public record Options(int perClass, float guidance, int steps, float eta, long seed, String template, int realCount,
                          float guidanceRescale, SamplerOptions.DynamicThreshold dynamicThreshold, long realSeed) {
        public Options {
            if (perClass < 1) throw new IllegalArgumentException("per-class sample count must be ≥ 1, got " + perClass);
            if (realCount < 2) throw new IllegalArgumentException("the real reference set needs at least 2 images, got " + realCount);
            if (template == null || !template.contains("{}")) {
                throw new IllegalArgumentException("prompt template must contain {} where the class word goes, got '" + template + "'");
            }
            sampler(steps, eta, guidance, guidanceRescale, dynamicThreshold);   // the sampler's own checks: steps ≥ 1, guidance and η finite ≥ 0, φ in [0, 1]
        }

        /** The real images chosen with {@code seed}. */
        public Options(int perClass, float guidance, int steps, float eta, long seed, String template, int realCount,
                       float guidanceRescale, SamplerOptions.DynamicThreshold dynamicThreshold) {
            this(perClass, guidance, steps, eta, seed, template, realCount, guidanceRescale, dynamicThreshold, seed);
        }

        /** The same evaluation with the real images chosen by {@code s} instead. */
        public Options withRealSeed(long s) {
            return new Options(perClass, guidance, steps, eta, seed, template, realCount, guidanceRescale, dynamicThreshold, s);
        }

        /** Without guidance rescale or dynamic thresholding (the shipped sampler). */
        public Options(int perClass, float guidance, int steps, float eta, long seed, String template, int realCount) {
            this(perClass, guidance, steps, eta, seed, template, realCount, 0f, null);
        }

        /** 10 per class, guidance 3, txt2img's DDIM defaults (15 steps, η 1), seed 0, "a photo of a {}", 1000 real images. */
        public static Options defaults() {
            return new Options(10, 3f, SamplerOptions.RECOMMENDED_STEPS, SamplerOptions.RECOMMENDED_ETA, 0, DEFAULT_TEMPLATE, 1000);
        }

        public SamplerOptions sampler() { return sampler(steps, eta, guidance, guidanceRescale, dynamicThreshold); }

        private static SamplerOptions sampler(int steps, float eta, float guidance, float rescale, SamplerOptions.DynamicThreshold threshold) {
            SamplerOptions o = SamplerOptions.ddim(steps, eta, guidance);
            return new SamplerOptions(o.kind(), o.steps(), o.eta(), o.guidance(), o.clipSample(), rescale, threshold);
        }
    }

    /** One class: its prompt, the judge's accuracy on its samples, and diversity of its samples and of as many real images. */
    public record ClassScore(String name, String prompt, double accuracy, double sampleDiversity, double realDiversity) {}

    /**
     * @param accuracy        judge's accuracy on the prompted class over all samples
     * @param perClass        per class, in label order
     * @param frechet         Fréchet distance samples ↔ real reference set (judge features)
     * @param frechetRealReal the yardstick: a disjoint real set of the samples' size ↔ the same reference
     * @param sampleDiversity mean over classes of the within-class mean pairwise feature distance (NaN for 1 per class)
     * @param realDiversity   the same for the yardstick's real images
     * @param images          the samples [N, C, S, S] in [−1, 1], class by class
     * @param labels          prompted class of each sample
     * @param predicted       the judge's class of each sample
     * @param classes         the class labels evaluated (all ten, or a chosen subset), ascending
     */
    public record Result(Options options, double accuracy, List<ClassScore> perClass, double frechet, double frechetRealReal,
                         double sampleDiversity, double realDiversity, Tensor images, int[] labels, int[] predicted,
                         List<String> judgeClassNames, int[] classes) {
        public int samples() { return labels.length; }

        public ObjectNode toJson() {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("samples", samples());
            n.put("per_class", options.perClass());
            n.put("guidance", options.guidance());
            n.put("steps", options.steps());
            n.put("sampler", "ddim");
            n.put("eta", options.eta());
            n.put("guidance_rescale", options.guidanceRescale());
            if (options.dynamicThreshold() == null) {
                n.putNull("dynamic_threshold");
            } else {
                ObjectNode d = n.putObject("dynamic_threshold");
                d.put("quantile", options.dynamicThreshold().quantile());
                float max = options.dynamicThreshold().maxValue();
                if (Float.isInfinite(max)) d.putNull("max_value"); else d.put("max_value", max);   // null = unbounded (JSON has no ∞)
            }
            n.put("seed", options.seed());
            n.put("real_seed", options.realSeed());
            n.put("prompt_template", options.template());
            ArrayNode evaluated = n.putArray("evaluated_classes");
            for (int c : classes) evaluated.add(judgeClassNames.get(c));
            n.put("real_reference_images", options.realCount());
            n.put("real_yardstick_images", samples());
            putNumber(n, "judge_accuracy", accuracy);
            putNumber(n, "frechet_distance", frechet);
            putNumber(n, "frechet_distance_real_vs_real", frechetRealReal);
            putNumber(n, "diversity_samples", sampleDiversity);
            putNumber(n, "diversity_real", realDiversity);
            ArrayNode classes = n.putArray("classes");
            for (ClassScore c : perClass) {
                ObjectNode o = classes.addObject();
                o.put("class", c.name());
                o.put("prompt", c.prompt());
                putNumber(o, "judge_accuracy", c.accuracy());
                putNumber(o, "diversity_samples", c.sampleDiversity());
                putNumber(o, "diversity_real", c.realDiversity());
            }
            return n;
        }

        /** A plain-text report: the headline numbers, then one line per class. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%d samples (%d per class), DDIM %d steps, eta %s, guidance %s, seed %d%s, prompt \"%s\"%n",
                    samples(), options.perClass(), options.steps(), num(options.eta()), num(options.guidance()), options.seed(),
                    options.realSeed() == options.seed() ? "" : " (real images: seed " + options.realSeed() + ")", options.template()));
            if (options.guidanceRescale() > 0 || options.dynamicThreshold() != null) {
                SamplerOptions.DynamicThreshold d = options.dynamicThreshold();
                sb.append(String.format(Locale.ROOT, "guidance rescale %s, dynamic threshold %s%n", num(options.guidanceRescale()),
                        d == null ? "off" : "p " + num(d.quantile()) + " max " + (Float.isInfinite(d.maxValue()) ? "none" : num(d.maxValue()))));
            }
            sb.append(String.format(Locale.ROOT, "judge accuracy on the prompted class: %.1f %%%n", 100 * accuracy));
            sb.append(String.format(Locale.ROOT, "Fréchet distance (judge features) to %d real test images%s: %.3f%n", options.realCount(),
                    classes.length == judgeClassNames.size() ? "" : " of the same " + classes.length + " classes", frechet));
            sb.append(String.format(Locale.ROOT, "  yardstick, %d other real test images to the same %d: %.3f%n", samples(), options.realCount(), frechetRealReal));
            sb.append(String.format(Locale.ROOT, "diversity (mean within-class pairwise feature distance): samples %s, real %s%s%n",
                    fixed(sampleDiversity), fixed(realDiversity), options.perClass() < 2 ? " (needs 2 or more per class)" : ""));
            sb.append(String.format(Locale.ROOT, "%-12s %9s %11s %9s  %s%n", "class", "accuracy", "div sample", "div real", "prompt"));
            for (ClassScore c : perClass) {
                sb.append(String.format(Locale.ROOT, "%-12s %8.1f%% %11s %9s  %s%n", c.name(), 100 * c.accuracy(), fixed(c.sampleDiversity()),
                        fixed(c.realDiversity()), c.prompt()));
            }
            return sb.toString();
        }

        /** A PNG grid, one row per class, each tile labelled with the judge's class. */
        public void writeGrid(Path file) {
            List<String> tiles = new ArrayList<>();
            for (int p : predicted) tiles.add(judgeClassNames.get(p));
            SampleImages.writeGrid(images, options.perClass(), 2, tiles, file);
        }

        private static String fixed(double v) { return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v); }

        private static String num(float v) { return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v); }

        private static void putNumber(ObjectNode n, String name, double v) {
            if (Double.isFinite(v)) n.put(name, v); else n.putNull(name);   // JSON has no NaN
        }
    }

    /** Denoising steps {@link #evaluate} reports in all (for a progress bar). */
    public static long totalSteps(Options o, int classes) {
        return (long) classes * ((o.perClass() + BATCH - 1) / BATCH) * o.steps();
    }

    /**
     * Samples and scores the model. {@code realTest} are real held-out images with labels in the judge's
     * class order; {@code stepsDone} hears the running count of denoising steps (of {@link #totalSteps}).
     */
    public static Result evaluate(DiffusionPipeline pipeline, FashionClassifier judge, LabeledImages realTest, Options o, IntConsumer stepsDone) {
        return evaluate(pipeline, judge, realTest, o, null, stepsDone);
    }

    /**
     * {@link #evaluate(DiffusionPipeline, FashionClassifier, LabeledImages, Options, IntConsumer)} on some
     * classes only ({@code classes}: labels, null = all): their prompts are sampled with the seeds a
     * full evaluation gives them (so the images are the same), and the Fréchet reference and
     * yardstick are real images of those classes alone, as a model prompted only with them should
     * be compared with.
     */
    public static Result evaluate(DiffusionPipeline pipeline, FashionClassifier judge, LabeledImages realTest, Options o,
                                  int[] classes, IntConsumer stepsDone) {
        UNetConfig u = pipeline.unet().config();
        FashionClassifierConfig jc = judge.config();
        if (u.inChannels() != jc.inChannels() || u.sampleSize() != jc.imageSize()) {
            throw new DiffusionException("the model makes " + u.inChannels() + "×" + u.sampleSize() + "×" + u.sampleSize()
                    + " images, the judge reads " + jc.inChannels() + "×" + jc.imageSize() + "×" + jc.imageSize());
        }
        if (o.steps() > pipeline.schedule().length()) {
            throw new DiffusionException("sampling steps must lie in 1.." + pipeline.schedule().length()
                    + " (the schedule's num_train_timesteps), got " + o.steps());
        }
        ClassPrompts words = ClassPrompts.fashionMnist();
        if (words.classNames().size() != jc.numClasses()) {
            throw new DiffusionException("the judge has " + jc.numClasses() + " classes, the prompts name " + words.classNames().size());
        }
        int[] chosen = chosenClasses(classes, jc.numClasses());
        PromptClasses reader = new PromptClasses(jc.classNames());
        List<String> prompts = new ArrayList<>();
        for (int c : chosen) {
            String p = words.prompt(c, o.template());
            int read = reader.classOf(p);
            if (read != c) {   // e.g. a template that itself names a class ("a {} next to a bag")
                throw new IllegalArgumentException("prompt template '" + o.template() + "' makes '" + p + "', which names "
                        + (read < 0 ? "no class" : "class '" + jc.classNames().get(read) + "'") + " instead of '" + jc.classNames().get(c) + "'");
            }
            prompts.add(p);
        }
        int[][] real = chooseReal(realTest, jc.numClasses(), chosen, o.realCount(), o.perClass(), o.realSeed());   // the reference set, the yardstick set

        // samples, class by class, as txt2img would make them
        SamplerOptions so = o.sampler();
        List<Tensor> parts = new ArrayList<>();
        int[] labels = new int[chosen.length * o.perClass()];
        long perClassSteps = (long) ((o.perClass() + BATCH - 1) / BATCH) * o.steps();
        for (int i = 0; i < chosen.length; i++) {
            int c = chosen[i];
            long before = i * perClassSteps;
            parts.add(pipeline.generate(prompts.get(i), o.perClass(), so, o.seed() + SEED_STRIDE * c, BATCH,
                    done -> stepsDone.accept((int) (before + done))));
            java.util.Arrays.fill(labels, i * o.perClass(), (i + 1) * o.perClass(), c);
        }
        Tensor images = parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);   // [N, C, S, S]

        Tensor sampleFeatures = judge.inferFeatures(images);                             // [N, F]
        int[] predicted;
        try (var g = NoGrad.enter()) {                                                   // the convs run once for both
            predicted = judge.logitsFromFeatures(sampleFeatures).argmax(1, false).toIntArray();
        }
        Metrics.Accuracy acc = Metrics.score(predicted, labels, jc.numClasses());
        Tensor referenceFeatures = features(judge, realTest, real[0]);                   // [realCount, F]
        Tensor yardstickFeatures = features(judge, realTest, real[1]);                   // [N, F], class by class like the samples
        Metrics.Moments reference = Metrics.moments(referenceFeatures);
        double fd = Metrics.frechetDistance(Metrics.moments(sampleFeatures), reference);
        double fdReal = Metrics.frechetDistance(Metrics.moments(yardstickFeatures), reference);

        List<ClassScore> scores = new ArrayList<>();
        double divSamples = 0, divReal = 0;
        for (int i = 0; i < chosen.length; i++) {
            double ds = within(sampleFeatures, i, o.perClass()), dr = within(yardstickFeatures, i, o.perClass());
            divSamples += ds;
            divReal += dr;
            scores.add(new ClassScore(jc.classNames().get(chosen[i]), prompts.get(i), acc.perClass()[chosen[i]], ds, dr));
        }
        return new Result(o, acc.overall(), List.copyOf(scores), fd, fdReal, divSamples / chosen.length, divReal / chosen.length,
                images, labels, predicted, jc.classNames(), chosen);
    }

    /** The labels to evaluate: all {@code n} when {@code classes} is null, else those given (distinct, in range), ascending. */
    static int[] chosenClasses(int[] classes, int n) {
        if (classes == null) return java.util.stream.IntStream.range(0, n).toArray();
        if (classes.length == 0) throw new IllegalArgumentException("no class chosen to evaluate");
        int[] sorted = classes.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0 || sorted[i] >= n) throw new IllegalArgumentException("class label " + sorted[i] + " is outside 0.." + (n - 1));
            if (i > 0 && sorted[i] == sorted[i - 1]) throw new IllegalArgumentException("class label " + sorted[i] + " is chosen twice");
        }
        return sorted;
    }

    /**
     * Moments of the judge's features of {@code count} real held-out images (classes as even as
     * the count allows, chosen with {@code seed} as {@link #evaluate}'s reference set): the Fréchet
     * reference other evaluations (the RL runs') measure against.
     */
    public static Metrics.Moments realReference(FashionClassifier judge, LabeledImages realTest, int count, long seed) {
        int classes = judge.config().numClasses();
        int[][] real = chooseReal(realTest, classes, chosenClasses(null, classes), count, 0, seed);
        return Metrics.moments(features(judge, realTest, real[0]));
    }

    /** Mean pairwise distance of rows [c·k, (c+1)·k) of features; NaN for k < 2. */
    private static double within(Tensor features, int c, int k) {
        return k < 2 ? Double.NaN : Metrics.diversity(features.narrow(0, c * k, k).contiguous());
    }

    private static Tensor features(FashionClassifier judge, LabeledImages data, int[] indices) {
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < indices.length; from += 500) {   // 500 images as floats at a time
            int[] chunk = java.util.Arrays.copyOfRange(indices, from, Math.min(indices.length, from + 500));
            parts.add(judge.inferFeatures(data.images(chunk)));
        }
        return parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
    }

    /**
     * Two disjoint sets of real images of the {@code chosen} classes: [0] the reference ({@code count}
     * images, classes as even as the count allows), [1] the yardstick ({@code perClass} per chosen
     * class, class by class). Each class's images are shuffled with {@code seed}, the reference
     * takes the first, the yardstick the next.
     */
    static int[][] chooseReal(LabeledImages data, int classes, int[] chosen, int count, int perClass, long seed) {
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < classes; c++) members.add(new ArrayList<>());
        for (int i = 0; i < data.size(); i++) {
            int l = data.label(i);
            if (l < 0 || l >= classes) throw new DiffusionException("real image " + i + " has label " + l + ", outside 0.." + (classes - 1));
            members.get(l).add(i);
        }
        int[] reference = new int[count], yardstick = new int[chosen.length * perClass];
        int r = 0;
        Rng rng = new Rng(seed);
        for (int i = 0; i < chosen.length; i++) {
            List<Integer> m = members.get(chosen[i]);
            for (int k = m.size() - 1; k > 0; k--) java.util.Collections.swap(m, k, rng.nextInt(k + 1));   // Fisher–Yates
            int ref = count / chosen.length + (i < count % chosen.length ? 1 : 0);
            if (ref + perClass > m.size()) {
                throw new IllegalArgumentException("class " + chosen[i] + " has " + m.size() + " real test images, fewer than the " + ref
                        + " reference + " + perClass + " yardstick images asked for (lower --real or --per-class)");
            }
            for (int k = 0; k < ref; k++) reference[r++] = m.get(k);
            for (int k = 0; k < perClass; k++) yardstick[i * perClass + k] = m.get(ref + k);
        }
        return new int[][]{reference, yardstick};
    }
}
