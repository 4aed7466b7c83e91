package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.PromptClasses;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * log p(prompted class | image) — or, as {@code classifier-p}, the probability itself — under a <b>reward</b> classifier — a {@link FashionClassifier}
 * trained separately (other seed and width) from the independent one that judges the results,
 * so that RL cannot score by fooling the judge it is measured with. The class is the one the
 * prompt names ({@link PromptClasses}); a prompt naming none is an error listing the names.
 *
 * <pre>{@code
 * Reward r = new ClassifierReward(FashionClassifier.load(Path.of("runs/reward-classifier")));
 * float[] s = r.score(samples, List.of("a photo of a sneaker"));    // ≤ 0; 0 = certain
 * }</pre>
 * The log-probability is unbounded below: one confidently wrong sample (log p = −20) outweighs a
 * batch of good ones, so per-epoch reward means swing and policy gradients are dominated by
 * outliers. The probability is bounded in [0, 1] — the better-behaved RL signal, the way DDPO's
 * rewards (aesthetic score, compressibility) are bounded.
 */
public final class ClassifierReward implements Reward {
    public static final String NAME = "classifier", PROBABILITY_NAME = "classifier-p";

    private final FashionClassifier classifier;
    private final PromptClasses classes;
    private final boolean probability;

    /** The log-probability reward ({@code classifier}). */
    public ClassifierReward(FashionClassifier classifier) {
        this(classifier, false);
    }

    /** @param probability true: p(prompted class) ({@code classifier-p}); false: its log */
    public ClassifierReward(FashionClassifier classifier, boolean probability) {
        this(classifier, new PromptClasses(classifier.config().classNames()), probability);
    }

    public ClassifierReward(FashionClassifier classifier, PromptClasses classes, boolean probability) {
        this.classifier = classifier;
        this.classes = classes;
        this.probability = probability;
        classifier.eval();
    }

    @Override
    public String name() { return probability ? PROBABILITY_NAME : NAME; }

    @Override
    public float[] score(Tensor images, List<String> prompts) {
        Reward.checkInputs(name(), images, prompts);
        int[] wanted = new int[prompts.size()];
        for (int b = 0; b < wanted.length; b++) wanted[b] = classes.requireClassOf(prompts.get(b));
        Tensor logp = classifier.logProbs(images.contiguous());   // [B, classes]
        int k = logp.size(1);
        float[] lp = logp.data();
        float[] out = new float[wanted.length];
        for (int b = 0; b < out.length; b++) out[b] = probability ? (float) Math.exp(lp[b * k + wanted[b]]) : lp[b * k + wanted[b]];
        return out;
    }
}
