package dev.genai4j.nn.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The vector LSTM cell update against its scalar twin, tails included, with saturating gate inputs. */
class LstmCellKernelTest {
    @Test
    void vectorCellMatchesScalarTwin() {
        Rng rng = new Rng(3);
        for (int hid : new int[]{1, 7, 16, 33, 130}) {
            int g4 = 4 * hid;
            // pre-activations up to ±30 so that exp over- and underflows are exercised
            float[] a = Tensor.randn(rng, g4).mul(8f).toFloatArray();
            float[] gx = Tensor.randn(rng, g4).mul(8f).toFloatArray();
            gx[0] = 30f;
            gx[g4 - 1] = -30f;
            float[] c0 = Tensor.randn(rng, hid).toFloatArray();
            float[] cS = c0.clone(), cV = c0.clone(), hS = new float[hid], hV = new float[hid];
            float[] outS = new float[2 * hid], outV = new float[2 * hid], actsS = new float[g4], actsV = new float[g4];
            LstmScanOp.cellScalar(a, 0, gx, 0, cS, hS, 0, outS, 0, actsS, hid, 0);
            LstmScanOp.cellVector(a, 0, gx, 0, cV, hV, 0, outV, 0, actsV, hid);
            for (int j = 0; j < hid; j++) {
                assertEquals(cS[j], cV[j], 2e-6f * (1 + Math.abs(cS[j])), "c hid=" + hid + " j=" + j);
                assertEquals(hS[j], hV[j], 2e-6f, "h hid=" + hid + " j=" + j);
                assertEquals(outS[j], outV[j], 2e-6f, "out h hid=" + hid);
                assertEquals(outS[hid + j], outV[hid + j], 2e-6f * (1 + Math.abs(cS[j])), "out c hid=" + hid);
            }
            for (int j = 0; j < g4; j++) assertEquals(actsS[j], actsV[j], 2e-6f, "gate " + j + " hid=" + hid);
            // and both equal the LSTM equations written out directly for unit 0
            double i = 1 / (1 + Math.exp(-(a[0] + gx[0]))), f = 1 / (1 + Math.exp(-(a[hid] + gx[hid])));
            double g = Math.tanh(a[2 * hid] + gx[2 * hid]), o = 1 / (1 + Math.exp(-(a[3 * hid] + gx[3 * hid])));
            double c = f * c0[0] + i * g;
            assertEquals(c, cS[0], 1e-5);
            assertEquals(o * Math.tanh(c), hS[0], 1e-5);
        }
    }
}
