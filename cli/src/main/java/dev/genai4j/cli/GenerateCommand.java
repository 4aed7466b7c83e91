package dev.genai4j.cli;

import dev.genai4j.models.mixtral.GenerationOptions;
import dev.genai4j.models.mixtral.MixtralLoadOptions;
import dev.genai4j.tensor.quant.QuantType;
import dev.genai4j.models.mixtral.GenerationResult;
import dev.genai4j.models.mixtral.Generator;
import dev.genai4j.models.mixtral.MixtralForCausalLM;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import dev.genai4j.text.HfTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code genai4j generate}: continues prompts with a Mixtral checkpoint ({@link Generator}), streaming to stdout. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
                "Continues one or more prompts with a Mixtral-style checkpoint folder (config.json, model.safetensors",
                "or shards, tokenizer.json). Greedy unless --do-sample, --temperature, --top-k or --top-p is given.",
                "One prompt streams token by token; several run as one left-padded batch and print when done.",
                "Speed (prefill and decode tokens/s) goes to stderr. Ctrl-C stops after the current token.",
                "--json prints, when done, {model, results: [{prompt, text, tokens, finish_reason}], prefill_tokens_per_s,",
                "decode_steps_per_s} and nothing else on stdout (no streaming).",
                "",
                "Example:  genai4j generate --model runs/moe-random --max-tokens 32 --temperature 0.8 --top-p 0.95 \"Once upon a time\""
        })
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf:ID", description = "checkpoint folder"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

    @Option(names = {"--max-tokens", "--max-new-tokens"}, defaultValue = "64", description = "tokens to generate at most (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--do-sample", description = "sample instead of taking the most probable token")
    boolean doSample;

    @Option(names = "--temperature", description = "sampling temperature, > 0 (implies --do-sample; default 1)")
    Float temperature;

    @Option(names = "--top-k", description = "sample among the k most probable tokens (implies --do-sample)")
    Integer topK;

    @Option(names = "--top-p", description = "nucleus sampling mass in (0, 1] (implies --do-sample)")
    Float topP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "penalty on tokens already present, > 0 (default ${DEFAULT-VALUE}: none)")
    float repetitionPenalty;

    @Option(names = "--stop", paramLabel = "TEXT", description = "stop when the output contains TEXT (repeatable)")
    List<String> stop = List.of();

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--ignore-eos", description = "keep generating past the end-of-sequence token")
    boolean ignoreEos;

    @Option(names = "--threads", description = "compute threads (default: all cores)")
    Integer threads;

    @Option(names = "--quantize", paramLabel = "TYPE", description = "quantize the experts while loading: q8 (Q8_0) or q4 (Q4_0); "
            + "lets a model whose bf16 weights exceed memory run (default: the checkpoint's dtype)")
    String quantize;

    @Option(names = "--json", description = "print the results as one JSON object when done (no streaming)")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "prompt text (several make a batch)")
    List<String> prompts;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        int[] code = {0};
        Runnable body = () -> code[0] = run(out, err);
        if (threads != null) Parallel.withThreads(threads, body);
        else body.run();
        return code[0];
    }

    private int run(PrintWriter out, PrintWriter err) {
        Path tokenizerFile = model.resolve("tokenizer.json");
        try {
            if (!Files.exists(tokenizerFile)) throw new TensorException("no tokenizer.json in " + model);
            boolean sample = doSample || temperature != null || topK != null || topP != null;
            GenerationOptions o = new GenerationOptions(maxTokens, sample, temperature != null ? temperature : 1f, topK != null ? topK : 0,
                    topP != null ? topP : 1f, repetitionPenalty, stop, seed, !ignoreEos);
            MixtralLoadOptions load = quantize == null ? MixtralLoadOptions.DEFAULT : MixtralLoadOptions.quantized(QuantType.parse(quantize));
            try (MixtralForCausalLM lm = MixtralForCausalLM.load(model, load); HfTokenizer tok = HfTokenizer.load(tokenizerFile)) {
                Generator g = new Generator(lm, tok);
                CountDownLatch done = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    g.cancel();
                    try { done.await(); } catch (InterruptedException ignored) { Thread.currentThread().interrupt(); }
                });
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    report(g, o, tok, out, err);
                } finally {
                    // on Ctrl-C the hook waits for this: the text so far and the stats are out before the JVM exits
                    done.countDown();
                    try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException ignored) { /* already shutting down */ }
                }
                return 0;
            }
        } catch (TensorException | IllegalArgumentException e) {
            String m = e.getMessage();
            err.println(m != null && m.startsWith("generate:") ? m : "generate: " + m);
            err.flush();
            return ExitCodes.of(e);
        }
    }

    /** Generates, streaming one prompt to {@code out}, then prints the batch results and the speed (stderr). */
    private void report(Generator g, GenerationOptions o, HfTokenizer tok, PrintWriter out, PrintWriter err) {
        long[] firstToken = {0};
        long start = System.nanoTime();
        boolean stream = prompts.size() == 1 && !json;
        // a batch prints nothing until it ends: a progress bar over the decode steps (the longest row's tokens) meanwhile
        int[] perRow = new int[prompts.size()];
        GenerationResult r;
        try (Progress progress = Progress.start("generate", maxTokens, "tokens", json || stream)) {
            r = g.generate(prompts, o, (row, id, text) -> {
                if (firstToken[0] == 0) firstToken[0] = System.nanoTime();
                if (stream && text != null && !text.isEmpty()) {
                    out.print(text);
                    out.flush();
                }
                if (++perRow[row] > progress.done()) progress.stepTo(perRow[row]);
            });
        }
        long end = System.nanoTime();
        if (json) {
            // the speed is computed below; the JSON waits for it
        } else if (stream) {
            out.println();
        } else {
            for (int i = 0; i < prompts.size(); i++) {
                out.println("[" + i + "] " + prompts.get(i) + r.texts().get(i));
            }
        }
        out.flush();
        int generated = r.tokens().stream().mapToInt(t -> t.length).sum();
        int promptTokens = prompts.stream().mapToInt(p -> tok.encode(p).ids().length).max().orElse(0);
        double prefillS = (firstToken[0] - start) / 1e9, decodeS = (end - firstToken[0]) / 1e9;
        int decodeSteps = r.tokens().stream().mapToInt(t -> t.length).max().orElse(0) - 1;
        if (json) {
            var root = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("model", model.toString());
            var rows = root.putArray("results");
            for (int i = 0; i < prompts.size(); i++) {
                var row = rows.addObject().put("prompt", prompts.get(i)).put("text", r.texts().get(i));
                var ids = row.putArray("tokens");
                for (int id : r.tokens().get(i)) ids.add(id);
                row.put("finish_reason", r.reasons().get(i).name().toLowerCase(java.util.Locale.ROOT));
            }
            root.put("prefill_tokens_per_s", prompts.size() * promptTokens / Math.max(prefillS, 1e-9));
            root.put("decode_steps_per_s", decodeSteps > 0 ? decodeSteps / Math.max(decodeS, 1e-9) : 0.0);
            out.println(root.toPrettyString());
            out.flush();
            return;
        }
        err.printf("%d prompt(s), %d prompt tokens (longest), %d generated; prefill %.1f tok/s, decode %.1f steps/s (%s)%n",
                prompts.size(), promptTokens, generated, prompts.size() * promptTokens / Math.max(prefillS, 1e-9),
                decodeSteps > 0 ? decodeSteps / Math.max(decodeS, 1e-9) : 0.0, r.reasons());
        err.flush();
    }
}
