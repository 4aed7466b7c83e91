package dev.genai4j.models.clip.train;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * CLIP's symmetric contrastive loss (arXiv 2103.00020, Fig. 3): logits = exp(t) · Iᵀ-cosines
 * [N, N], cross-entropy of each image over the texts and of each text over the images, averaged.
 * With {@code groups}, pairs that share a group (the same Fashion-MNIST class, the same emoji)
 * are all positives and the target row is uniform over them (UniCL, arXiv 2204.03610): a batch
 * of 128 Fashion-MNIST pairs holds ~13 images per class, and calling those negatives would push
 * apart what the captions say is the same thing. With all groups distinct this is exactly CLIP's
 * loss.
 *
 * <pre>{@code
 * Tensor loss = InfoNce.loss(l2(img), l2(txt), logitScale.value(), groups);   // 0-d
 * }</pre>
 */
public final class InfoNce {
    /** ln 100: the clamp on {@code logit_scale} (CLIP caps the multiplier at 100). */
    public static final float MAX_LOGIT_SCALE = (float) Math.log(100);

    private InfoNce() {}

    /**
     * @param img        unit image embeddings [N, P]
     * @param txt        unit text embeddings [N, P], row i pairs with image i
     * @param logitScale 0-d or [1] log of the multiplier (learnable)
     * @param groups     [N] group of each pair, or null for "all distinct"
     * @return the 0-d loss
     */
    public static Tensor loss(Tensor img, Tensor txt, Tensor logitScale, int[] groups) {
        if (img.dim() != 2 || txt.dim() != 2 || img.size(0) != txt.size(0) || img.size(1) != txt.size(1)) {
            throw new ShapeException("InfoNce.loss: image and text embeddings must both be [N, P], got "
                    + java.util.Arrays.toString(img.shape()) + " and " + java.util.Arrays.toString(txt.shape()));
        }
        int n = img.size(0);
        if (groups != null && groups.length != n) {
            throw new ShapeException("InfoNce.loss: groups must have one entry per pair (" + n + "), got " + groups.length);
        }
        Tensor logits = img.matmul(txt.mT()).mul(logitScale.reshape(1, 1).exp());   // [N, N] image × text
        Tensor q = targets(groups, n);                                               // [N, N], rows sum to 1
        Tensor perImage = q.mul(logits.logSoftmax(-1)).sum().neg();
        Tensor perText = q.mT().mul(logits.mT().logSoftmax(-1)).sum().neg();
        return perImage.add(perText).mul(0.5f / n);
    }

    /** Row i: uniform over the pairs j of i's group (the identity when groups is null). */
    static Tensor targets(int[] groups, int n) {
        float[] q = new float[n * n];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int j = 0; j < n; j++) if (groups == null ? i == j : groups[i] == groups[j]) count++;
            for (int j = 0; j < n; j++) if (groups == null ? i == j : groups[i] == groups[j]) q[i * n + j] = 1f / count;
        }
        return Tensor.of(q, n, n);
    }

    /** Caps {@code logit_scale} in place at ln 100 after an update, as OpenAI's training does. */
    public static void clamp(dev.genai4j.nn.Parameter logitScale) {
        float[] v = logitScale.value().data();
        for (int i = 0; i < v.length; i++) v[i] = Math.min(v[i], MAX_LOGIT_SCALE);
    }
}
