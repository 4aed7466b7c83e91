package dev.genai4j.models.clip;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** CLIPImageProcessor's size rules, crop offsets and float arithmetic. */
class ClipImageProcessorTest {
    static RgbImage ramp(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int o = (y * w + x) * 3;
            px[o] = (byte) x; px[o + 1] = (byte) y; px[o + 2] = (byte) (x + y);
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void shortestEdgeRuleTruncatesTheLongSide() {
        ClipImageProcessor p = ClipImageProcessor.defaults(224);
        assertArrayEquals(new int[]{224, 336}, p.resizedSize(200, 300));
        assertArrayEquals(new int[]{336, 224}, p.resizedSize(300, 200));
        assertArrayEquals(new int[]{224, 298}, p.resizedSize(480, 640), "int(224·640/480) = int(298.67)");
        assertArrayEquals(new int[]{224, 224}, p.resizedSize(50, 50));
    }

    @Test
    void centerCropUsesFloorDivisionOffsets() {
        RgbImage img = ramp(11, 8);
        RgbImage c = ClipImageProcessor.centerCrop(img, 4, 4);
        // top = (8 − 4) // 2 = 2, left = (11 − 4) // 2 = 3
        assertEquals(3, c.get(0, 0, 0));
        assertEquals(2, c.get(0, 0, 1));
        assertEquals(6, c.get(3, 3, 0));
        assertEquals(5, c.get(3, 3, 1));
    }

    @Test
    void centerCropPadsASmallImageWithZerosAsHfDoes() {
        RgbImage img = ramp(3, 2);
        RgbImage c = ClipImageProcessor.centerCrop(img, 5, 6);
        // new 5 x 6: top_pad = ceil(3/2) = 2, left_pad = ceil(3/2) = 2
        assertEquals(6, c.width());
        assertEquals(5, c.height());
        assertEquals(0, c.get(0, 0, 2));
        assertEquals(0, c.get(2, 2, 0));   // source (0, 0) is black in channel 0
        assertEquals(1, c.get(3, 2, 0));   // source (1, 0)
        assertEquals(1, c.get(2, 3, 1));   // source (0, 1)
        assertEquals(0, c.get(5, 4, 2));
        // one axis fits, the other is padded: width 10 ≥ 4 keeps offset (10 − 4) // 2 = 3
        RgbImage d = ClipImageProcessor.centerCrop(ramp(10, 2), 4, 4);
        assertEquals(3, d.get(0, 1, 0));   // row 1 = source row 0 (top_pad 1)
        assertEquals(0, d.get(0, 0, 0));
    }

    @Test
    void rescaleInDoubleThenNormalizeInFloat() {
        ClipImageProcessor p = ClipImageProcessor.from(JsonConfig.parse(
                "{\"size\": {\"shortest_edge\": 2}, \"crop_size\": {\"height\": 2, \"width\": 2}}", "test"));
        byte[] px = new byte[2 * 2 * 3];
        px[0] = (byte) 255; px[4] = (byte) 128; px[11] = 7;
        Tensor t = p.preprocess(List.of(new RgbImage(2, 2, px)));
        assertArrayEquals(new int[]{1, 3, 2, 2}, t.shape());
        float r255 = (float) (255 * 0.00392156862745098);
        assertEquals((r255 - 0.48145466f) / 0.26862954f, t.get(0, 0, 0, 0), 0f);
        assertEquals(((float) (128 * (1 / 255.0)) - 0.4578275f) / 0.26130258f, t.get(0, 1, 0, 1), 0f);
        assertEquals(((float) (7 * (1 / 255.0)) - 0.40821073f) / 0.27577711f, t.get(0, 2, 1, 1), 0f);
        assertEquals((0f - 0.48145466f) / 0.26862954f, t.get(0, 0, 1, 1), 0f);
    }

    @Test
    void batchesOfDifferentShapesEndAtTheCropSize() {
        ClipImageProcessor p = ClipImageProcessor.defaults(16);
        Tensor t = p.preprocess(List.of(ramp(40, 20), ramp(9, 33), ramp(16, 16)));
        assertArrayEquals(new int[]{3, 3, 16, 16}, t.shape());
    }
}
