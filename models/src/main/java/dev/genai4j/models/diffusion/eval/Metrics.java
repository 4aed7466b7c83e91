package dev.genai4j.models.diffusion.eval;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * Sample-quality measures of the diffusion experiments, computed on the penultimate features
 * of the independent {@link FashionClassifier}:
 * <ul>
 *   <li>Fréchet distance (the FID formula, arXiv 1706.08500) between two feature sets:
 *       ‖μ₁ − μ₂‖² + tr C₁ + tr C₂ − 2 tr √(√C₁ · C₂ · √C₁), covariances unbiased (n − 1) as
 *       {@code numpy.cov}; the square roots come from {@link SymmetricEigen} in double;</li>
 *   <li>diversity: the mean Euclidean distance over all pairs of one set's features;</li>
 *   <li>accuracy of the classifier on labelled images, or on samples against the class their
 *       prompt names ({@link PromptClasses}).</li>
 * </ul>
 *
 * <pre>{@code
 * Tensor real = clf.inferFeatures(testImages), fake = clf.inferFeatures(samples);   // [N, F], [M, F]
 * double fd = Metrics.frechetDistance(real, fake);
 * double div = Metrics.diversity(fake);
 * Metrics.Accuracy acc = Metrics.promptedAccuracy(clf, samples, prompts, PromptClasses.fashionMnist());
 * }</pre>
 */
public final class Metrics {
    private Metrics() {}

    /** Mean [d] and unbiased covariance [d][d] of a feature set, in double. */
    public record Moments(double[] mean, double[][] covariance, int count) {}

    /** Fraction correct overall and per class (NaN for a class with no images), over {@code count} images. */
    public record Accuracy(double overall, double[] perClass, int count) {}

    /** Mean and covariance of features [N, d]; N ≥ 2. */
    public static Moments moments(Tensor features) {
        if (features.dim() != 2) throw ShapeException.of("Metrics.moments", "features [N, d]", features.shape());
        int n = features.size(0), d = features.size(1);
        if (n < 2) throw new IllegalArgumentException("Metrics.moments: a covariance needs at least 2 feature vectors, got " + n);
        float[] f = features.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += f[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) c[j] = f[i * d + j] - mean[j];
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                if (ca == 0) continue;
                double[] row = cov[a];
                for (int b = a; b < d; b++) row[b] += ca * c[b];
            }
        }
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++) cov[b][a] = cov[a][b] = cov[a][b] / (n - 1);
        return new Moments(mean, cov, n);
    }

    /** Fréchet distance between the Gaussians fitted to features [N, d] and [M, d]. */
    public static double frechetDistance(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1)) {
            throw new ShapeException("Metrics.frechetDistance: feature sets [N, d] and [M, d] must share d, got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        return frechetDistance(moments(a), moments(b));
    }

    /** Fréchet distance between N(μ₁, C₁) and N(μ₂, C₂). */
    public static double frechetDistance(Moments a, Moments b) {
        int d = a.mean().length;
        if (b.mean().length != d) throw new ShapeException("Metrics.frechetDistance: dimensions " + d + " and " + b.mean().length + " differ");
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = a.mean()[j] - b.mean()[j];
            meanTerm += diff * diff;
        }
        double trA = 0, trB = 0;
        for (int j = 0; j < d; j++) {
            trA += a.covariance()[j][j];
            trB += b.covariance()[j][j];
        }
        // √C₁ · C₂ · √C₁ is symmetric PSD and similar to C₁C₂, so its root has the trace FID needs
        double[][] s = SymmetricEigen.of(a.covariance()).sqrtPsd();
        double[][] m = multiply(multiply(s, b.covariance()), s);
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++) m[i][j] = m[j][i] = 0.5 * (m[i][j] + m[j][i]);   // round-off asymmetry
        double trSqrt = 0;
        for (double v : SymmetricEigen.of(m).values()) trSqrt += Math.sqrt(Math.max(v, 0));
        return meanTerm + trA + trB - 2 * trSqrt;
    }

    /** Mean Euclidean distance over all unordered pairs of rows of features [N, d]; N ≥ 2. */
    public static double diversity(Tensor features) {
        if (features.dim() != 2) throw ShapeException.of("Metrics.diversity", "features [N, d]", features.shape());
        int n = features.size(0), d = features.size(1);
        if (n < 2) throw new IllegalArgumentException("Metrics.diversity: needs at least 2 samples, got " + n);
        float[] f = features.data();
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = f[i * d + k] - f[j * d + k];
                    s += diff * diff;
                }
                sum += Math.sqrt(s);
            }
        return sum / ((double) n * (n - 1) / 2);
    }

    /** Accuracy of {@code classifier} on images [N, C, H, W] with true labels. */
    public static Accuracy accuracy(FashionClassifier classifier, Tensor images, int[] labels) {
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException("Metrics.accuracy: " + images.size(0) + " images but " + labels.length + " labels");
        }
        return score(classifier.predict(images), labels, classifier.config().numClasses());
    }

    /** Accuracy on a labelled set, read 500 images at a time. */
    public static Accuracy accuracy(FashionClassifier classifier, LabeledImages data) {
        int n = data.size();
        int[] pred = new int[n], labels = new int[n];
        for (int from = 0; from < n; from += 500) {
            int[] idx = new int[Math.min(500, n - from)];
            for (int k = 0; k < idx.length; k++) idx[k] = from + k;
            int[] p = classifier.predict(data.images(idx));
            System.arraycopy(p, 0, pred, from, idx.length);
            System.arraycopy(data.labels(idx), 0, labels, from, idx.length);
        }
        return score(pred, labels, classifier.config().numClasses());
    }

    /**
     * How often the classifier sees the class each sample's prompt asks for. Every prompt must
     * name a class (else {@link IllegalArgumentException} naming it).
     */
    public static Accuracy promptedAccuracy(FashionClassifier classifier, Tensor samples, List<String> prompts, PromptClasses classes) {
        if (samples.size(0) != prompts.size()) {
            throw new IllegalArgumentException("Metrics.promptedAccuracy: " + samples.size(0) + " samples but " + prompts.size() + " prompts");
        }
        int[] wanted = new int[prompts.size()];
        for (int i = 0; i < wanted.length; i++) wanted[i] = classes.requireClassOf(prompts.get(i));
        return accuracy(classifier, samples, wanted);
    }

    static Accuracy score(int[] predicted, int[] labels, int numClasses) {
        int[] hit = new int[numClasses], count = new int[numClasses];
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            count[labels[i]]++;
            if (predicted[i] == labels[i]) {
                hit[labels[i]]++;
                correct++;
            }
        }
        double[] per = new double[numClasses];
        for (int c = 0; c < numClasses; c++) per[c] = count[c] == 0 ? Double.NaN : (double) hit[c] / count[c];
        return new Accuracy(labels.length == 0 ? Double.NaN : (double) correct / labels.length, per, labels.length);
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length, k = y.length, m = y[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++) {
                double v = x[i][p];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) out[i][j] += v * y[p][j];
            }
        return out;
    }
}
