package dev.genai4j.models.check;

import dev.genai4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * How one model family runs a reference case: recognize it from its config, load the checkpoint
 * through the family's normal loading code, run {@code inputs.json}, and return the named
 * outputs that {@code expected.safetensors} holds. Families register an implementation in
 * {@code META-INF/services/dev.genai4j.models.check.FamilyCheck}.
 */
public interface FamilyCheck {
    /** Short family name for messages ("bert", "modernbert" …). */
    String family();

    /** True when this family handles the case (usually by {@code model_type}). */
    boolean accepts(FixtureCase c);

    /** The outputs by the names used in {@code expected.safetensors}. */
    Map<String, Tensor> run(FixtureCase c);

    /**
     * Further comparisons beyond the expected tensors (e.g. GLiNER's decoded entities against
     * {@code expected_entities.json}), given this family's outputs; none by default.
     */
    default List<CheckResult.Line> checkExtra(FixtureCase c, Map<String, Tensor> ours) { return List.of(); }
}
