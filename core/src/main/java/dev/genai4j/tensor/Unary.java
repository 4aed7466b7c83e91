package dev.genai4j.tensor;

/**
 * Elementwise unary functions with their derivatives. SiLU, QuickGELU and the two GELUs run on the
 * {@code VectorMath} kernels inside tensor ops (see {@code ElementwiseLoops}); {@link #apply}
 * is the scalar double-precision reference. {@code d(x, y)} is dy/dx given the input x
 * and the output y (whichever is cheaper to use).
 */
public enum Unary {
    NEG { float f(float x) { return -x; } float d(float x, float y) { return -1f; } },
    EXP { float f(float x) { return (float) Math.exp(x); } float d(float x, float y) { return y; } },
    LOG { float f(float x) { return (float) Math.log(x); } float d(float x, float y) { return 1f / x; } },
    SQRT { float f(float x) { return (float) Math.sqrt(x); } float d(float x, float y) { return 0.5f / y; } },
    RSQRT { float f(float x) { return (float) (1.0 / Math.sqrt(x)); } float d(float x, float y) { return -0.5f * y / x; } },
    ABS { float f(float x) { return Math.abs(x); } float d(float x, float y) { return Math.signum(x); } },
    SQUARE { float f(float x) { return x * x; } float d(float x, float y) { return 2f * x; } },
    RECIPROCAL { float f(float x) { return 1f / x; } float d(float x, float y) { return -y * y; } },
    SIN { float f(float x) { return (float) Math.sin(x); } float d(float x, float y) { return (float) Math.cos(x); } },
    COS { float f(float x) { return (float) Math.cos(x); } float d(float x, float y) { return (float) -Math.sin(x); } },
    TANH { float f(float x) { return (float) Math.tanh(x); } float d(float x, float y) { return 1f - y * y; } },
    SIGMOID { float f(float x) { return sigmoid(x); } float d(float x, float y) { return y * (1f - y); } },
    RELU { float f(float x) { return x <= 0 ? 0f : x; }   // NaN stays NaN, as torch.relu
        float d(float x, float y) { return x > 0 ? 1f : 0f; } },
    SILU {
        float f(float x) { return x * sigmoid(x); }
        float d(float x, float y) { float s = sigmoid(x); return s * (1f + x * (1f - s)); }
    },
    /**
     * 0.5·x·(1 + erf(x/√2)). {@link #f} uses the exact erf; tensor ops ({@code Tensor.gelu()})
     * run the vector kernel, whose erf approximation is within 1.5e-7 (GELU within ~1e-6 absolute
     * for ordinary activations); the backward uses the exact derivative below.
     */
    GELU_ERF {
        float f(float x) { return (float) (0.5 * x * (1.0 + Erf.erf(x * INV_SQRT2))); }
        float d(float x, float y) {
            double cdf = 0.5 * (1.0 + Erf.erf(x * INV_SQRT2));
            double pdf = Math.exp(-0.5 * (double) x * x) * INV_SQRT_2PI;
            return (float) (cdf + x * pdf);
        }
    },
    /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    GELU_TANH {
        float f(float x) {
            double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
            return (float) (0.5 * x * (1.0 + Math.tanh(inner)));
        }
        float d(float x, float y) {
            double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
            double t = Math.tanh(inner);
            double dInner = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
            return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dInner);
        }
    },
    /** x·sigmoid(1.702·x) (OpenAI CLIP). */
    QUICK_GELU {
        float f(float x) { return x * sigmoid(1.702f * x); }
        float d(float x, float y) { float s = sigmoid(1.702f * x); return s + 1.702f * x * s * (1f - s); }
    },
    ERF {
        float f(float x) { return (float) Erf.erf(x); }
        float d(float x, float y) { return (float) (2.0 / Math.sqrt(Math.PI) * Math.exp(-(double) x * x)); }
    },
    /** log(1 + eˣ), computed without overflow. */
    SOFTPLUS {
        float f(float x) { return x > 20f ? x : (float) Math.log1p(Math.exp(x)); }
        float d(float x, float y) { return sigmoid(x); }
    };

    static final double INV_SQRT2 = 0.7071067811865476;
    static final double INV_SQRT_2PI = 0.3989422804014327;
    static final double SQRT_2_OVER_PI = 0.7978845608028654;

    abstract float f(float x);

    abstract float d(float x, float y);

    /** Applies the function to one value. */
    public float apply(float x) { return f(x); }

    static float sigmoid(float x) {
        return x >= 0 ? (float) (1.0 / (1.0 + Math.exp(-x))) : (float) (Math.exp(x) / (1.0 + Math.exp(x)));
    }
}
