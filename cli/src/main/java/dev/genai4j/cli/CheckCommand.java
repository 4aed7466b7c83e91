package dev.genai4j.cli;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j check DIR…}: runs reference cases and reports per-tensor differences. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
                "Compares a model family's outputs with a reference case, tensor by tensor.",
                "A case folder holds config.json + model.safetensors + inputs.json +",
                "expected.safetensors (+ NOTES.md with the tolerance); it is loaded through the",
                "family's normal loading code.",
                "Prints 'name max_abs_diff max_rel_diff ok|FAIL' per tensor and a summary line;",
                "exit code 0 when every tensor matches, 1 otherwise, 3 on unusable input, 4 when DIR is missing.",
                "--json prints [{dir, ok, tensors: [{name, max_abs_diff, max_rel_diff, ok, why}]}] instead.",
                "",
                "Example:  genai4j check ../shared/fixtures/modernbert/classic_fp32"
        })
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "case folder(s)")
    List<Path> dirs;

    @picocli.CommandLine.Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @Override
    public Integer call() {
        int rc = 0;
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var all = mapper.createArrayNode();
        for (Path dir : dirs) {
            try {
                CheckResult r = CheckRunner.check(dir);
                if (json) {
                    var o = all.addObject().put("dir", dir.toString()).put("ok", r.allOk());
                    var tensors = o.putArray("tensors");
                    for (CheckResult.Line l : r.lines()) {
                        tensors.addObject().put("name", l.name()).put("max_abs_diff", l.maxAbs()).put("max_rel_diff", l.maxRel())
                                .put("ok", l.ok()).put("why", l.why());
                    }
                } else {
                    for (CheckResult.Line l : r.lines()) System.out.println(l.format());
                    System.out.println(r.summary());
                }
                if (!r.allOk()) rc = Math.max(rc, ExitCodes.FAILURE);
            } catch (TensorException e) {
                String m = String.valueOf(e.getMessage());
                System.err.println(m.startsWith("check:") ? m : "check " + dir + ": " + m);
                rc = Math.max(rc, Files.exists(dir) ? ExitCodes.BAD_INPUT : ExitCodes.MISSING);
                if (json) all.addObject().put("dir", dir.toString()).put("ok", false).put("error", e.getMessage());
            }
        }
        if (json) System.out.println(all.toPrettyString());
        return rc;
    }
}
