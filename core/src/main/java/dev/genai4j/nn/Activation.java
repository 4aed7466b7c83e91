package dev.genai4j.nn;

import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The activations named by HF configs' {@code hidden_act} / {@code hidden_activation}.
 *
 * <pre>{@code
 * Activation act = Activation.fromHf(config.hiddenAct());   // "gelu", "silu", ...
 * Tensor y = act.apply(x);
 * }</pre>
 */
public enum Activation {
    /** Exact GELU, 0.5·x·(1 + erf(x/√2)) (PyTorch's default, HF "gelu"). */
    GELU,
    /** Tanh-approximated GELU (HF "gelu_new", "gelu_pytorch_tanh", "gelu_fast"). */
    GELU_TANH,
    /** x·sigmoid(1.702·x) (OpenAI CLIP, HF "quick_gelu"). */
    QUICK_GELU,
    /** x·sigmoid(x) (HF "silu", "swish"). */
    SILU,
    RELU;

    private static final Map<String, Activation> HF_NAMES = new LinkedHashMap<>();

    static {
        HF_NAMES.put("gelu", GELU);
        HF_NAMES.put("gelu_new", GELU_TANH);
        HF_NAMES.put("gelu_pytorch_tanh", GELU_TANH);
        HF_NAMES.put("gelu_fast", GELU_TANH);   // same function, written x·(1 + 0.044715x²)
        HF_NAMES.put("quick_gelu", QUICK_GELU);
        HF_NAMES.put("silu", SILU);
        HF_NAMES.put("swish", SILU);
        HF_NAMES.put("relu", RELU);
    }

    public Tensor apply(Tensor x) {
        return switch (this) {
            case GELU -> x.gelu();
            case GELU_TANH -> x.geluTanh();
            case QUICK_GELU -> x.quickGelu();
            case SILU -> x.silu();
            case RELU -> x.relu();
        };
    }

    /** The activation for an HF {@code hidden_act} string; an unknown name lists the known ones. */
    public static Activation fromHf(String name) {
        Activation a = name == null ? null : HF_NAMES.get(name.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown activation \"" + name + "\"; known hidden_act values: " + HF_NAMES.keySet());
        }
        return a;
    }
}
