package dev.genai4j.cli;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

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
                "exit code 0 when every tensor matches, 1 otherwise, 2 on unusable input.",
                "",
                "Example:  genai4j check ../shared/fixtures/modernbert/classic_fp32"
        })
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "case folder(s)")
    List<Path> dirs;

    @Override
    public Integer call() {
        int rc = 0;
        for (Path dir : dirs) {
            try {
                CheckResult r = CheckRunner.check(dir);
                for (CheckResult.Line l : r.lines()) System.out.println(l.format());
                System.out.println(r.summary());
                if (!r.allOk()) rc = Math.max(rc, 1);
            } catch (TensorException e) {
                System.err.println("check " + dir + ": " + e.getMessage());
                rc = 2;
            }
        }
        return rc;
    }
}
