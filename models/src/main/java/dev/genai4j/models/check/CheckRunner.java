package dev.genai4j.models.check;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TensorException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs a reference case through the family that accepts it and compares every expected tensor:
 * {@code |ours − expected| ≤ atol + rtol·|expected|}, NaN in the expected tensor marking an
 * implementation-defined position that is skipped.
 *
 * <pre>{@code
 * CheckResult r = CheckRunner.check(Path.of("fixtures/modernbert/classic_fp32"));
 * r.lines().forEach(l -> System.out.println(l.format()));
 * }</pre>
 */
public final class CheckRunner {
    private CheckRunner() {}

    public static List<FamilyCheck> families() {
        List<FamilyCheck> out = new ArrayList<>();
        ServiceLoader.load(FamilyCheck.class).forEach(out::add);
        return out;
    }

    public static CheckResult check(Path dir) {
        FixtureCase c = FixtureCase.load(dir);
        FamilyCheck family = null;
        for (FamilyCheck f : families()) {
            if (f.accepts(c)) { family = f; break; }
        }
        if (family == null) {
            List<String> known = families().stream().map(FamilyCheck::family).toList();
            throw new TensorException("check: no family handles " + dir + " (model_type '" + c.modelType()
                    + "'); families available: " + known);
        }
        Map<String, Tensor> ours;
        String failure = null;
        try (var g = NoGrad.enter()) {
            ours = family.run(c);
        } catch (RuntimeException e) {
            ours = Map.of();
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        List<CheckResult.Line> lines = new ArrayList<>();
        for (var e : c.expected().entrySet()) {
            Tensor mine = ours.get(e.getKey());
            if (mine == null) {
                lines.add(new CheckResult.Line(e.getKey(), Double.NaN, Double.NaN, false,
                        failure != null ? failure : "not produced by " + family.family()));
                continue;
            }
            lines.add(compare(e.getKey(), mine, e.getValue(), c.atol(), c.rtol()));
        }
        if (failure == null) {
            try (var g = NoGrad.enter()) {
                lines.addAll(family.checkExtra(c, ours));
            } catch (RuntimeException e) {
                lines.add(new CheckResult.Line("extra", Double.NaN, Double.NaN, false, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        return new CheckResult(dir.toString(), lines);
    }

    public static CheckResult.Line compare(String name, Tensor ours, Tensor expected, double atol, double rtol) {
        int[] es = expected.shape(), os = ours.shape();
        if (!Arrays.equals(es, os) && ours.numel() != expected.numel()) {
            return new CheckResult.Line(name, Double.NaN, Double.NaN, false,
                    "shape " + Arrays.toString(os) + ", expected " + Arrays.toString(es));
        }
        if (!Arrays.equals(es, os) && !(es.length == 0 && ours.numel() == 1)) {
            return new CheckResult.Line(name, Double.NaN, Double.NaN, false,
                    "shape " + Arrays.toString(os) + ", expected " + Arrays.toString(es));
        }
        float[] a = ours.toFloatArray(), b = expected.toFloatArray();
        double maxAbs = 0, maxRel = 0;
        boolean ok = true;
        int compared = 0;
        for (int i = 0; i < b.length; i++) {
            if (Float.isNaN(b[i])) continue;     // implementation-defined position
            compared++;
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) { ok = false; maxAbs = Double.NaN; continue; }
            if (!(d <= atol + rtol * Math.abs(b[i]))) ok = false;
            maxAbs = Math.max(maxAbs, d);
            if (b[i] != 0) maxRel = Math.max(maxRel, d / Math.abs(b[i]));
        }
        return new CheckResult.Line(name, maxAbs, maxRel, ok && compared > 0 || (ok && b.length == 0), null);
    }
}
