package dev.genai4j.models.mixtral;

import java.util.List;

/**
 * A {@link TokenListener} that also sees where each forward step routed its input tokens, for
 * showing which experts a token went to. {@link Generator} calls {@link #onRouting} right after
 * each forward, before that step's {@link #onToken}: at step 0 the routings cover the prompt
 * ({@code [B·T]} rows, row-major), at step {@code s > 0} the token chosen at step {@code s − 1}
 * ({@code [B]} rows). The last chosen token is never fed back, so it has no routing.
 *
 * <pre>{@code
 * generator.generate(prompts, options, new RoutingListener() {
 *     public void onRouting(int step, List<TopKRouter.Routing> layers) { int[] e = layers.getFirst().experts(); … }
 *     public void onToken(int row, int token, String text) { … }
 * });
 * }</pre>
 */
public interface RoutingListener extends TokenListener {
    /** One routing per decoder layer for the tokens this step's forward took in. */
    void onRouting(int step, List<TopKRouter.Routing> layers);
}
