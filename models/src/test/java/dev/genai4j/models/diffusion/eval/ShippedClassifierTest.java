package dev.genai4j.models.diffusion.eval;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.data.images.ImageData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped evaluator loads, and (with the data fetched) recognizes held-out test images. */
class ShippedClassifierTest {

    @Test
    void evaluatorIsShippedWithItsShape() {
        assertTrue(ShippedClassifier.EVALUATOR.available());
        FashionClassifier judge = ShippedClassifier.EVALUATOR.load();
        assertEquals(FashionClassifierConfig.fashionMnist(16, 128), judge.config());
    }

    @Test
    void rewardClassifierIsADifferentNetwork() {
        assertTrue(ShippedClassifier.REWARD.available());
        FashionClassifier reward = ShippedClassifier.REWARD.load();
        assertEquals(FashionClassifierConfig.fashionMnist(8, 64), reward.config());
        assertTrue(ShippedClassifier.REWARD.command().contains("--seed 2"));
        assertTrue(ShippedClassifier.EVALUATOR.command().contains("--seed 1"));
    }

    @Test
    void evaluatorRecognizesHeldOutTestImages() {
        assumeTrue(Files.isDirectory(ImageData.root().resolve(FashionMnist.PACKAGE)), "Fashion-MNIST not fetched (bash scripts/fetch-images.sh)");
        FashionMnist fm = FashionMnist.load();
        int[] test = fm.standardSplit().test();
        int[] every10th = new int[test.length / 10];
        for (int i = 0; i < every10th.length; i++) every10th[i] = test[i * 10];
        Metrics.Accuracy acc = Metrics.accuracy(ShippedClassifier.EVALUATOR.load(), fm.images(every10th, 2, -1f, 1f), fm.labels(every10th));
        assertEquals(1000, acc.count());
        // 91.6 % on all 10,000 when trained (eval.json); a 1,000-image sample stays well above 88 %
        assertTrue(acc.overall() >= 0.88, "accuracy " + acc.overall());
    }
}
