package dev.genai4j.models.diffusion;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class UNetTest {
    private static Tensor randomized(UNet u, long seed) {
        // conv_out starts at zero (ε̂ = 0); give it values so gradients reach every layer below
        Rng r = new Rng(seed);
        for (Parameter p : u.parameters()) {
            if (p.value().numel() > 0 && p.value().toFloatArray()[0] == 0f && p.shape().length == 4) {
                p.set(Tensor.randn(r, p.shape()).mul(0.1f));
            }
        }
        return null;
    }

    @Test
    void forwardKeepsTheImageShapeAndUsesDiffusersNames() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        Rng r = new Rng(1);
        Tensor y = u.forward(Tensor.randn(r, 2, 1, 8, 8), new float[]{0, 999}, Tensor.randn(r, 2, 3, 12));
        assertArrayEquals(new int[]{2, 1, 8, 8}, y.shape());
        Map<String, Parameter> names = u.namedParameters();
        for (String n : new String[]{"conv_in.weight", "time_embedding.linear_1.weight", "time_embedding.linear_2.bias",
                "down_blocks.0.resnets.0.conv1.weight", "down_blocks.0.resnets.0.time_emb_proj.weight", "down_blocks.0.downsamplers.0.conv.weight",
                "down_blocks.1.resnets.0.conv_shortcut.weight", "down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight",
                "down_blocks.1.attentions.0.transformer_blocks.0.ff.net.0.proj.weight", "down_blocks.1.attentions.0.proj_in.weight",
                "mid_block.resnets.1.norm2.weight", "mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0.bias",
                "up_blocks.0.resnets.1.conv_shortcut.weight", "up_blocks.0.attentions.1.norm.weight", "up_blocks.0.upsamplers.0.conv.weight",
                "up_blocks.1.resnets.1.conv1.weight", "conv_norm_out.weight", "conv_out.weight"}) {
            assertTrue(names.containsKey(n), n + " missing from " + names.keySet());
        }
        assertFalse(names.containsKey("down_blocks.1.downsamplers.0.conv.weight"), "the last level does not downsample");
        assertFalse(names.containsKey("up_blocks.1.upsamplers.0.conv.weight"), "the last up level does not upsample");
        // up block 0 (level 1, 16 ch): resnet 0 takes 16 (mid) + 16 (skip), resnet 1 takes 16 + 8 (the level-0 downsample output)
        assertArrayEquals(new int[]{16, 32, 3, 3}, names.get("up_blocks.0.resnets.0.conv1.weight").shape());
        assertArrayEquals(new int[]{16, 24, 3, 3}, names.get("up_blocks.0.resnets.1.conv1.weight").shape());
        assertArrayEquals(new int[]{16, 12}, names.get("mid_block.attentions.0.transformer_blocks.0.attn2.to_v.weight").shape());
    }

    @Test
    void badInputShapesAreNamed() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        Rng r = new Rng(1);
        assertThrows(ShapeException.class, () -> u.forward(Tensor.randn(r, 1, 3, 8, 8), new float[]{1}, Tensor.randn(r, 1, 3, 12)));
        assertThrows(ShapeException.class, () -> u.forward(Tensor.randn(r, 1, 1, 8, 8), new float[]{1, 2}, Tensor.randn(r, 1, 3, 12)));
        ShapeException e = assertThrows(ShapeException.class, () -> u.forward(Tensor.randn(r, 1, 1, 8, 8), new float[]{1}, Tensor.randn(r, 1, 3, 7)));
        assertTrue(e.getMessage().contains("text"), e.getMessage());
    }

    @Test
    void everyParameterGetsAFiniteGradient() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        randomized(u, 5);
        u.trainable();
        Rng r = new Rng(2);
        Tensor loss = u.forward(Tensor.randn(r, 2, 1, 8, 8), new float[]{10, 700}, Tensor.randn(r, 2, 3, 12)).square().mean();
        loss.backward();
        for (var e : u.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            assertNotNull(g, e.getKey() + " has no gradient");
            double norm = 0;
            for (float v : g.toFloatArray()) {
                assertTrue(Float.isFinite(v), e.getKey());
                norm += v * v;
            }
            assertTrue(norm > 0, e.getKey() + " has an all-zero gradient");
        }
    }

    /** Central differences in fp32 against backprop for single weights of a conv, the self- and the cross-attention. */
    @Test
    void gradientsMatchFiniteDifferences() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        randomized(u, 5);
        u.trainable();
        Rng r = new Rng(3);
        Tensor x = Tensor.randn(r, 2, 1, 8, 8), text = Tensor.randn(r, 2, 3, 12), probe = Tensor.randn(r, 2, 1, 8, 8);
        float[] t = {30, 600};
        u.forward(x, t, text).mul(probe).sum().backward();
        String[] checked = {"down_blocks.0.resnets.0.conv1.weight", "down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.weight",
                "mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight", "up_blocks.0.resnets.1.conv_shortcut.weight"};
        for (String name : checked) {
            Parameter p = u.namedParameters().get(name);
            float[] w = p.value().data();
            float[] grad = p.grad().toFloatArray();
            for (int idx : new int[]{0, w.length / 2, w.length - 1}) {
                float keep = w[idx], h = 1e-2f;
                double plus, minus;
                try (var g = NoGrad.enter()) {
                    w[idx] = keep + h;
                    plus = u.forward(x, t, text).mul(probe).sum().item();
                    w[idx] = keep - h;
                    minus = u.forward(x, t, text).mul(probe).sum().item();
                }
                w[idx] = keep;
                double fd = (plus - minus) / (2 * h);
                assertEquals(fd, grad[idx], 2e-2 * Math.max(1, Math.abs(fd)), name + "[" + idx + "]");
            }
        }
    }

    @Test
    void timestepEmbeddingIsCosThenSin() {
        Tensor e = UNet.timestepEmbedding(new float[]{0f, 3f}, 8);
        float[] v = e.toFloatArray();
        assertArrayEquals(new float[]{1, 1, 1, 1, 0, 0, 0, 0}, java.util.Arrays.copyOf(v, 8), 1e-7f);
        // row 1, k = 1: freq = 10000^(−1/4) = 0.1
        assertEquals(Math.cos(0.3), v[8 + 1], 1e-6);
        assertEquals(Math.sin(0.3), v[8 + 4 + 1], 1e-6);
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        randomized(u, 9);
        u.save(dir);
        UNet back = UNet.load(dir);
        assertEquals(u.config(), back.config());
        Rng r = new Rng(4);
        Tensor x = Tensor.randn(r, 1, 1, 8, 8), text = Tensor.randn(r, 1, 3, 12);
        try (var g = NoGrad.enter()) {
            // to rounding, not bit for bit: C2 may sum vector lanes in another order between two forwards
            assertArrayEquals(u.forward(x, new float[]{5}, text).toFloatArray(), back.forward(x, new float[]{5}, text).toFloatArray(), 1e-5f);
        }
        assertThrows(CheckpointException.class, () -> UNet.load(dir.resolve("missing")));
    }

    @Test
    void configRoundTripsAndRejectsBadValues(@TempDir Path dir) {
        UNetConfig c = UNetConfig.fashionMnist();
        c.write(dir.resolve("config.json"));
        assertEquals(c, UNetConfig.read(dir.resolve("config.json")));
        assertEquals(UNetConfig.twemoji(), UNetConfig.fromJson(dev.genai4j.io.JsonConfig.of(UNetConfig.twemoji().toMap())));
        assertThrows(dev.genai4j.io.ConfigException.class,
                () -> new UNetConfig(30, 1, 1, new int[]{8, 16, 16}, new boolean[]{false, true, true}, 1, 12, 8, 4, 1e-5f));
        assertThrows(dev.genai4j.io.ConfigException.class,
                () -> new UNetConfig(8, 1, 1, new int[]{8, 12}, new boolean[]{false, true}, 1, 12, 8, 4, 1e-5f));
    }
}
