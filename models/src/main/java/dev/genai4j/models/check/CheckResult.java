package dev.genai4j.models.check;

import java.util.List;

/** Outcome of checking one case: one line per expected tensor. */
public record CheckResult(String dir, List<Line> lines) {
    /** {@code maxAbs} / {@code maxRel} are NaN when the tensor could not be produced. */
    public record Line(String name, double maxAbs, double maxRel, boolean ok, String why) {
        public String format() {
            String s = String.format("%s %.3e %.3e %s", name, maxAbs, maxRel, ok ? "ok" : "FAIL");
            return why == null ? s : s + " (" + why + ")";
        }
    }

    public long okCount() { return lines.stream().filter(Line::ok).count(); }

    public boolean allOk() { return !lines.isEmpty() && okCount() == lines.size(); }

    public String summary() { return "check " + dir + ": " + okCount() + "/" + lines.size() + " tensors ok"; }
}
