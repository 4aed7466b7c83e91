package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * Gated feed-forward block, GeGLU / SwiGLU (arXiv 2002.05202): {@code down(act(gate(x)) · up(x))}.
 * Two checkpoint layouts:
 * <ul>
 *   <li><b>fused</b>: one input projection [2I, H] whose output splits into (input, gate) halves,
 *       {@code out(act(first) · second)} — ModernBERT {@code Wi}/{@code Wo}, Phi-3
 *       {@code gate_up_proj}/{@code down_proj};</li>
 *   <li><b>split</b>: separate gate [I, H], up [I, H], down [H, I] — Llama
 *       {@code gate_proj}/{@code up_proj}/{@code down_proj}, Mixtral experts {@code w1}/{@code w3}/{@code w2}.</li>
 * </ul>
 *
 * <pre>{@code
 * GatedMlp mlp = GatedMlp.loadFused(w.sub("mlp"), 768, 1152, Activation.GELU, false, GatedMlp.FusedNames.MODERNBERT);
 * Tensor y = mlp.forward(x);                   // [B, T, 768] → [B, T, 768]
 * }</pre>
 */
public final class GatedMlp extends Module {
    /** Names of the fused layout's two projections. */
    public record FusedNames(String in, String out) {
        public static final FusedNames MODERNBERT = new FusedNames("Wi", "Wo");
        public static final FusedNames PHI3 = new FusedNames("gate_up_proj", "down_proj");
    }

    /** Names of the split layout's three projections. */
    public record SplitNames(String gate, String up, String down) {
        public static final SplitNames LLAMA = new SplitNames("gate_proj", "up_proj", "down_proj");
        public static final SplitNames MIXTRAL = new SplitNames("w1", "w3", "w2");
    }

    private final int hidden;
    private final int intermediate;
    private final Activation act;
    private final Linear fusedIn;   // [2I, H] (fused layout) or null
    private final Linear gate;      // [I, H] (split layout) or null
    private final Linear up;        // [I, H] (split layout) or null
    private final Linear down;      // [H, I]
    private Dropout dropout;        // before the down projection (ModernBERT mlp_dropout), or null

    private GatedMlp(int hidden, int intermediate, Activation act, String[] names, Linear fusedIn, Linear gate, Linear up, Linear down) {
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.act = act;
        if (fusedIn != null) {
            this.fusedIn = child(names[0], fusedIn);
            this.gate = null;
            this.up = null;
            this.down = child(names[1], down);
        } else {
            this.fusedIn = null;
            this.gate = child(names[0], gate);
            this.up = child(names[1], up);
            this.down = child(names[2], down);
        }
    }

    /** Fresh fused block with PyTorch default init. */
    public static GatedMlp fused(int hidden, int intermediate, Activation act, boolean bias, FusedNames names, Rng rng) {
        return new GatedMlp(hidden, intermediate, act, new String[]{names.in(), names.out()},
                new Linear(hidden, 2 * intermediate, bias, rng), null, null, new Linear(intermediate, hidden, bias, rng));
    }

    /** Fresh split block with PyTorch default init. */
    public static GatedMlp split(int hidden, int intermediate, Activation act, boolean bias, SplitNames names, Rng rng) {
        return new GatedMlp(hidden, intermediate, act, new String[]{names.gate(), names.up(), names.down()}, null,
                new Linear(hidden, intermediate, bias, rng), new Linear(hidden, intermediate, bias, rng),
                new Linear(intermediate, hidden, bias, rng));
    }

    public static GatedMlp loadFused(Weights w, int hidden, int intermediate, Activation act, boolean bias, FusedNames names) {
        return new GatedMlp(hidden, intermediate, act, new String[]{names.in(), names.out()},
                Linear.load(w.sub(names.in()), hidden, 2 * intermediate, bias), null, null,
                Linear.load(w.sub(names.out()), intermediate, hidden, bias));
    }

    public static GatedMlp loadSplit(Weights w, int hidden, int intermediate, Activation act, boolean bias, SplitNames names) {
        return new GatedMlp(hidden, intermediate, act, new String[]{names.gate(), names.up(), names.down()}, null,
                Linear.load(w.sub(names.gate()), hidden, intermediate, bias),
                Linear.load(w.sub(names.up()), hidden, intermediate, bias),
                Linear.load(w.sub(names.down()), intermediate, hidden, bias));
    }

    /** Adds dropout (active in training only) on the gated activations, as ModernBERT's {@code mlp_dropout}. */
    public GatedMlp withDropout(float p, Rng rng) {
        if (dropout != null) throw new IllegalStateException("GatedMlp: dropout already set");
        dropout = child("drop", new Dropout(p, rng));
        return this;
    }

    /** x: [..., H] → [..., H]. */
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != hidden) {
            throw ShapeException.of("GatedMlp(hidden=" + hidden + ", intermediate=" + intermediate + ")", "input [..., " + hidden + "]", x.shape());
        }
        Tensor h;
        if (fusedIn != null) {
            List<Tensor> halves = fusedIn.forward(x).chunk(2, -1);               // 2 × [..., I]
            h = act.apply(halves.get(0)).mul(halves.get(1));
        } else {
            h = act.apply(gate.forward(x)).mul(up.forward(x));                   // [..., I]
        }
        if (dropout != null) h = dropout.forward(h);
        return down.forward(h);
    }

    public Activation activation() { return act; }

    public boolean isFused() { return fusedIn != null; }
}
