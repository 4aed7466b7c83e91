package dev.genai4j.cli;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.mixtral.MixtralConfig;
import dev.genai4j.models.mixtral.MixtralInit;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.TensorException;
import dev.genai4j.text.TrainedBpe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genai4j moe init}: a randomly initialized Mixtral folder of a chosen shape ({@link MixtralInit}). */
@Command(name = "init",
        mixinStandardHelpOptions = true,
        description = {
                "Writes a randomly initialized Mixtral checkpoint in the HF layout (config.json, model.safetensors",
                "or shards + index, tokenizer.json): for benchmarks and tests. Weights ~ N(0, 0.02), norms 1.",
                "The tokenizer is a byte-level BPE trained on --corpus (or a short built-in sample).",
                "",
                "Example:  genai4j moe init --hidden 1024 --experts 8 --top-k 2 --layers 8 --dtype bf16 -o runs/moe-random"
        })
final class MoeInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "folder to write")
    Path output;

    @Option(names = "--hidden", defaultValue = "1024", description = "hidden_size (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--intermediate", description = "intermediate_size of each expert (default 3.5 × hidden, as Mixtral-8x7B)")
    Integer intermediate;

    @Option(names = "--layers", defaultValue = "8", description = "num_hidden_layers (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--experts", defaultValue = "8", description = "num_local_experts (default ${DEFAULT-VALUE})")
    int experts;

    @Option(names = "--top-k", defaultValue = "2", description = "num_experts_per_tok (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--heads", description = "num_attention_heads (default hidden / 64)")
    Integer heads;

    @Option(names = "--kv-heads", description = "num_key_value_heads (default heads / 4, at least 1)")
    Integer kvHeads;

    @Option(names = "--vocab", defaultValue = "32000", description = "vocab_size of the model (default ${DEFAULT-VALUE})")
    int vocab;

    @Option(names = "--tokenizer-vocab", defaultValue = "1024", description = "size of the BPE tokenizer, ≤ --vocab (default ${DEFAULT-VALUE})")
    int tokenizerVocab;

    @Option(names = "--corpus", paramLabel = "FILE", description = "text to train the tokenizer on (default: a built-in sample)")
    Path corpus;

    @Option(names = "--context", defaultValue = "4096", description = "max_position_embeddings (default ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--rope-theta", defaultValue = "1000000", description = "rope_theta (default ${DEFAULT-VALUE})")
    double ropeTheta;

    @Option(names = "--sliding-window", description = "sliding_window (default none)")
    Integer slidingWindow;

    @Option(names = "--dtype", defaultValue = "bf16", description = "f32, bf16 or f16 (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--shard-mb", defaultValue = "2048", description = "largest shard in MiB (default ${DEFAULT-VALUE})")
    long shardMb;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print {output, layers, experts, top_k, hidden, intermediate, parameters, gigabytes, dtype, tokenizer_vocab}")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try {
            DType storage = switch (dtype.toLowerCase(java.util.Locale.ROOT)) {
                case "f32", "fp32", "float32" -> DType.F32;
                case "bf16", "bfloat16" -> DType.BF16;
                case "f16", "fp16", "float16" -> DType.F16;
                default -> throw new IllegalArgumentException("--dtype must be f32, bf16 or f16, got '" + dtype + "'");
            };
            if (tokenizerVocab > vocab) {
                throw new IllegalArgumentException("--tokenizer-vocab " + tokenizerVocab + " exceeds the model's --vocab " + vocab);
            }
            int nH = heads != null ? heads : Math.max(1, hidden / 64);
            int nKv = kvHeads != null ? kvHeads : Math.max(1, nH / 4);
            if (nH <= 0 || hidden % nH != 0) throw new IllegalArgumentException("--hidden " + hidden + " is not a multiple of --heads " + nH);
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("model_type", "mixtral");
            cfg.put("vocab_size", vocab);
            cfg.put("hidden_size", hidden);
            cfg.put("intermediate_size", intermediate != null ? intermediate : hidden * 7 / 2);
            cfg.put("num_hidden_layers", layers);
            cfg.put("num_attention_heads", nH);
            cfg.put("num_key_value_heads", nKv);
            cfg.put("max_position_embeddings", context);
            cfg.put("rope_theta", ropeTheta);
            cfg.put("num_local_experts", experts);
            cfg.put("num_experts_per_tok", topK);
            if (slidingWindow != null) cfg.put("sliding_window", slidingWindow);
            MixtralConfig c = MixtralConfig.fromJson(JsonConfig.of(cfg));
            TrainedBpe bpe = MixtralInit.writeTokenizer(output, tokenizerVocab, corpus);
            MixtralInit.write(output, c, storage, seed, shardMb << 20);
            long params = (long) c.vocabSize() * c.hiddenSize() * 2 + (long) c.numHiddenLayers() * (
                    (long) c.hiddenSize() * c.headDim() * (2L * c.numAttentionHeads() + 2L * c.numKeyValueHeads())
                            + (long) c.numLocalExperts() * 3L * c.hiddenSize() * c.intermediateSize());
            if (json) {
                JsonResult.print(out, JsonResult.of("output", output, "layers", c.numHiddenLayers(), "experts", c.numLocalExperts(),
                        "top_k", c.numExpertsPerTok(), "hidden", c.hiddenSize(), "intermediate", c.intermediateSize(), "parameters", params,
                        "gigabytes", params * storage.byteSize() / 1e9, "dtype", storage.safetensorsName(), "tokenizer_vocab", bpe.vocabSize()));
                return 0;
            }
            out.printf("wrote %s: %d layers, %d experts (top-%d), hidden %d, intermediate %d, %d parameters (%.2f GB %s), tokenizer of %d ids%n",
                    output, c.numHiddenLayers(), c.numLocalExperts(), c.numExpertsPerTok(), c.hiddenSize(), c.intermediateSize(), params,
                    params * storage.byteSize() / 1e9, storage.safetensorsName(), bpe.vocabSize());
            out.flush();
            return 0;
        } catch (TensorException | IllegalArgumentException e) {
            err.println("moe init: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
