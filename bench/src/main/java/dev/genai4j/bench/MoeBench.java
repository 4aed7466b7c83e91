package dev.genai4j.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import dev.genai4j.models.mixtral.MixtralConfig;
import dev.genai4j.models.mixtral.MixtralForCausalLM;
import dev.genai4j.models.mixtral.MixtralLoadOptions;
import dev.genai4j.nn.KvCache;
import dev.genai4j.nn.Positions;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.quant.QuantType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.io.IOException;
import java.nio.ByteOrder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Mixtral prefill and decode throughput, ours against Jlama 0.8.4 on the same {@code genai4j moe init}
 * folder, at one thread count per process (Jlama fixes its threads once per JVM). Modes: {@code f32}
 * (an f32 folder, e.g. {@code moe init --dtype f32} with the same seed), {@code bf16} (the folder as
 * stored, memory-mapped), {@code q8} / {@code q4} (experts quantized at load: ours Q8_0/Q4_0, Jlama
 * I8/Q4 with int8 working activations, quantized from the f32 folder when given: Jlama 0.8.4 cannot
 * quantize bf16 weights). Prefill: one prompt of P tokens through a fresh KV cache
 * (last position projected to the vocabulary). Decode: D greedy steps after it, one token each.
 *
 * <p>Decode is memory-bound: every step reads the active weights once (attention, the router, the
 * top-k experts of every layer, the lm_head). {@code bw_frac} = (those bytes ÷ a big copy's
 * bandwidth measured in this process at the same thread count, before and after our runs, the
 * faster of a native-memory and a heap-array copy) ÷ the measured time per token; {@code read_frac}
 * divides by what a read-only vector stream reaches in this process instead (the ceiling for a step
 * that only reads its weights: on a machine whose cores cannot read at copy speed the two differ). The
 * process's peak resident memory ({@code VmHWM}) is cumulative: run {@code --modes bf16 --no-jlama}
 * alone for the memory bound (peak ÷ checkpoint bytes).
 *
 * <pre>{@code
 * MoeBench.run(Path.of("runs/moe-bench"), null, 1, List.of("bf16", "q8"), 128, 64, true, false);
 * // moe side=ours mode=q8 threads=1 prefill_tok_s=… decode_tok_s=… bw_frac=… vmhwm_mb=…
 * }</pre>
 */
public final class MoeBench {
    private MoeBench() {}

    /** One measured configuration. */
    public record Row(String side, String mode, int threads, double prefillTokS, double decodeTokS, double activeBytes) {}

    /** Runs every mode on both sides, prints one line per row and a summary; returns the lines. */
    public static List<String> run(Path dir, Path f32Dir, int threads, List<String> modes, int promptTokens, int decodeTokens,
                                   boolean jlama, boolean quick) throws IOException {
        MixtralConfig c = MixtralForCausalLM.readConfig(dir);
        int[] prompt = new int[promptTokens];
        for (int i = 0; i < promptTokens; i++) prompt[i] = 1 + (i * 7919) % Math.min(c.vocabSize() - 1, 1000);
        int reps = quick ? 1 : 3;
        List<String> lines = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        List<String> peaks = new ArrayList<>();
        // The host's memory bandwidth swings from minute to minute: probe it before and after our
        // runs and divide by the mean. Before, only the native copy, whose buffers are freed and so
        // leave the resident peak alone; heap arrays would stay in the heap's touched pages.
        double[] bw = new double[3];          // native before, native after, heap after
        Parallel.withThreads(threads, () -> bw[0] = copyBandwidth(quick, true));
        // What a read-only stream reaches at this thread count (a decode step only reads its weights):
        // the ceiling read_frac divides by, beside the copy that bw_frac divides by. Before our runs,
        // its native buffer freed, so it stays below the resident peak.
        double[] read = new double[1];
        Parallel.withThreads(threads, () -> read[0] = readBandwidth(quick));
        for (String mode : modes) {
            Path folder = mode.equals("f32") ? f32Dir : dir;
            if (folder == null) {
                lines.add(print("moe mode=f32 skipped: pass --f32 DIR (genai4j moe init --dtype f32 with the same shape and seed)"));
                continue;
            }
            rows.add(ours(folder, mode, threads, prompt, decodeTokens, reps));
            peaks.add(memory());
        }
        Parallel.withThreads(threads, () -> { bw[1] = copyBandwidth(quick, true); bw[2] = copyBandwidth(quick, false); });
        // The faster of the two copies is the limit (the stricter bar): the JDK's bulk copy of
        // native memory usually beats System.arraycopy between heap arrays by 10-40 % here.
        double nativeCopy = (bw[0] + bw[1]) / 2, heapCopy = bw[2], bandwidth = Math.max(nativeCopy, heapCopy);
        long ckpt = checkpointBytes(dir);
        lines.add(print(String.format(Locale.ROOT, "moe copy_bandwidth_gb_s=%.2f native_copy_gb_s=%.2f (before %.2f, after %.2f)"
                        + " heap_arraycopy_gb_s=%.2f (after) read_bandwidth_gb_s=%.2f read_over_copy=%.2f threads=%d checkpoint_mb=%.1f",
                bandwidth / 1e9, nativeCopy / 1e9, bw[0] / 1e9, bw[1] / 1e9, heapCopy / 1e9, read[0] / 1e9, read[0] / bandwidth,
                threads, ckpt / 1e6)));
        for (int i = 0; i < rows.size(); i++) {
            lines.add(print(format(rows.get(i), bandwidth) + String.format(Locale.ROOT, " read_frac=%.2f",
                    rows.get(i).decodeTokS() * rows.get(i).activeBytes() / read[0]) + " " + peaks.get(i)
                    + String.format(Locale.ROOT, " peak_over_checkpoint=%.2f", peakResidentBytes() / (double) ckpt)));
        }
        if (jlama) {
            PhysicalCoreExecutor.overrideThreadCount(threads);
            for (String mode : modes) {
                // Jlama 0.8.4 quantizes only from f32 weights ("UnsupportedOperationException: BF16"): its q8/q4 load the f32 folder
                Path folder = mode.equals("f32") || (mode.startsWith("q") && f32Dir != null) ? f32Dir : dir;
                if (folder == null) continue;
                try {
                    Row theirs = jlama(folder, mode, threads, prompt, decodeTokens, reps, c);
                    rows.add(theirs);
                    lines.add(print(format(theirs, bandwidth) + " " + memory()));
                    rows.stream().filter(r -> r.side().equals("ours") && r.mode().equals(mode)).findFirst().ifPresent(o -> lines.add(print(
                            String.format(Locale.ROOT, "moe ratio mode=%s threads=%d prefill_ours_over_jlama=%.2f decode_ours_over_jlama=%.2f",
                                    mode, threads, o.prefillTokS() / theirs.prefillTokS(), o.decodeTokS() / theirs.decodeTokS()))));
                } catch (RuntimeException | Error e) {
                    lines.add(print("moe side=jlama mode=" + mode + " failed: " + e));
                }
            }
        }
        return lines;
    }

    private static String print(String line) {
        System.out.println(line);
        return line;
    }

    private static String format(Row r, double bandwidth) {
        double limitTokS = bandwidth / r.activeBytes();
        return String.format(Locale.ROOT,
                "moe side=%s mode=%s threads=%d prefill_tok_s=%.1f decode_tok_s=%.2f active_mb_per_token=%.1f bw_limit_tok_s=%.2f bw_frac=%.2f",
                r.side(), r.mode(), r.threads(), r.prefillTokS(), r.decodeTokS(), r.activeBytes() / 1e6, limitTokS,
                r.decodeTokS() / limitTokS);
    }

    private static Row ours(Path folder, String mode, int threads, int[] prompt, int decode, int reps) {
        MixtralLoadOptions options = switch (mode) {
            case "q8" -> MixtralLoadOptions.quantized(QuantType.Q8_0);
            case "q4" -> MixtralLoadOptions.quantized(QuantType.Q4_0);
            case "f32", "bf16" -> MixtralLoadOptions.DEFAULT;
            default -> throw new IllegalArgumentException("moe bench: unknown mode '" + mode + "': expected f32, bf16, q8 or q4");
        };
        double[] best = {0, 0};
        double[] active = new double[1];
        Parallel.withThreads(threads, () -> {
            try (MixtralForCausalLM lm = MixtralForCausalLM.load(folder, options); var g = NoGrad.enter()) {
                MixtralConfig c = lm.config();
                active[0] = activeBytes(c, mode, lm.lmHead().weight().value().dtype().byteSize());
                float[] ids = new float[prompt.length];
                for (int i = 0; i < ids.length; i++) ids[i] = prompt[i];
                for (int rep = 0; rep <= reps; rep++) {          // rep 0 warms up
                    KvCache[] caches = lm.newCaches(1, prompt.length + decode);
                    long t0 = System.nanoTime();
                    float[] logits = lm.forward(Tensor.of(ids, 1, ids.length), null, null, caches, true).logits().data();
                    long t1 = System.nanoTime();
                    for (int s = 0; s < decode; s++) {
                        float next = argmax(logits);
                        logits = lm.forward(Tensor.of(new float[]{next}, 1, 1), null, Positions.perBatch(new int[][]{{prompt.length + s}}),
                                caches, true).logits().data();
                    }
                    long t2 = System.nanoTime();
                    if (rep > 0) {
                        best[0] = Math.max(best[0], prompt.length / ((t1 - t0) / 1e9));
                        best[1] = Math.max(best[1], decode / ((t2 - t1) / 1e9));
                    }
                }
            }
        });
        return new Row("ours", mode, threads, best[0], best[1], active[0]);
    }

    private static Row jlama(Path folder, String mode, int threads, int[] prompt, int decode, int reps, MixtralConfig c) {
        var f32 = com.github.tjake.jlama.safetensors.DType.F32;
        Optional<com.github.tjake.jlama.safetensors.DType> quant = switch (mode) {
            case "q8" -> Optional.of(com.github.tjake.jlama.safetensors.DType.I8);
            case "q4" -> Optional.of(com.github.tjake.jlama.safetensors.DType.Q4);
            default -> Optional.empty();
        };
        var working = quant.isPresent() ? com.github.tjake.jlama.safetensors.DType.I8 : f32;
        AbstractModel model = ModelSupport.loadModel(folder.toFile(), folder.toFile(), f32, working, quant, Optional.empty());   // threads: set once above
        double[] best = {0, 0};
        try (KvBufferCache kv = new KvBufferCache(model)) {
            for (int rep = 0; rep <= reps; rep++) {
                var buf = kv.getKvBuffer(UUID.randomUUID());
                long t0 = System.nanoTime();
                AbstractTensor out = model.batchForward(prompt, 0, buf);
                AbstractTensor last = out.slice(prompt.length - 1);
                float[] logits = model.getLogits(last);
                long t1 = System.nanoTime();
                for (int s = 0; s < decode; s++) {
                    int next = (int) argmax(logits);
                    logits = model.getLogits(model.forward(next, prompt.length + s, buf, Optional.empty()));
                }
                long t2 = System.nanoTime();
                if (rep > 0) {
                    best[0] = Math.max(best[0], prompt.length / ((t1 - t0) / 1e9));
                    best[1] = Math.max(best[1], decode / ((t2 - t1) / 1e9));
                }
            }
        } finally {
            model.close();
        }
        int headBytes = mode.equals("f32") ? 4 : 2;
        return new Row("jlama", mode, threads, best[0], best[1], activeBytes(c, mode, headBytes));
    }

    private static float argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /**
     * Weight bytes one decode step reads: per layer q/k/v/o, the router and k experts' w1/w2/w3, plus
     * the lm_head; expert weights at the mode's size (Q8_0: 36 bytes per 32, Q4_0: 20 per 32), the rest
     * at the checkpoint's ({@code denseBytes} per value).
     */
    static double activeBytes(MixtralConfig c, String mode, int denseBytes) {
        double expertBytes = switch (mode) {
            case "q8" -> 36.0 / 32;
            case "q4" -> 20.0 / 32;
            case "f32" -> 4;
            default -> 2;
        };
        long h = c.hiddenSize(), hd = c.headDim();
        double attn = (double) h * hd * (2L * c.numAttentionHeads() + 2L * c.numKeyValueHeads());
        double router = (double) h * c.numLocalExperts();
        double experts = 3.0 * h * c.intermediateSize() * c.numExpertsPerTok();
        return c.numHiddenLayers() * ((attn + router) * denseBytes + experts * expertBytes) + (double) h * c.vocabSize() * denseBytes;
    }

    /**
     * Bytes per second read by a read-only vector stream over 128 MiB of native memory at the current
     * thread count (N/t), best of a few: each thread sums its contiguous share with four independent
     * accumulators, the access pattern of a decode step's weights without the arithmetic. The kernel
     * is warmed up on a cache-sized slice first (the Vector API is slow until C2 compiles it).
     */
    static double readBandwidth(boolean quick) {
        long bytes = 128L << 20;
        int chunks = 64;
        long per = bytes / chunks;
        double best = 0;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(bytes, 4096);
            MemorySegment.copy(new float[]{1f}, 0, a, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, 1);
            for (long filled = 4; filled < bytes; filled *= 2) MemorySegment.copy(a, 0, a, filled, Math.min(filled, bytes - filled));
            float[] sums = new float[chunks];
            for (int warm = 0; warm < 2000; warm++) sums[0] = sumFloats(a, 0, 64 << 10);
            Parallel.RangeBody read = (c0, c1) -> {
                for (int c = c0; c < c1; c++) sums[c] = sumFloats(a, c * per, per);
            };
            for (int rep = 0; rep < (quick ? 3 : 6); rep++) {
                long t0 = System.nanoTime();
                Parallel.forRange(chunks, 1, read);
                best = Math.max(best, bytes / ((System.nanoTime() - t0) / 1e9));
            }
            // every float is 1: each chunk sums to exactly per / 4 (a power of two, exact in fp32)
            for (float s : sums) if (s != per / 4) throw new IllegalStateException("read bandwidth: a chunk summed to " + s + ", expected " + per / 4);
        }
        return best;
    }

    /** The sum of {@code bytes / 4} floats from {@code from} (bytes a multiple of four vectors). */
    private static float sumFloats(MemorySegment a, long from, long bytes) {
        var species = FloatVector.SPECIES_PREFERRED;
        long step = species.vectorByteSize();
        FloatVector s0 = FloatVector.zero(species), s1 = s0, s2 = s0, s3 = s0;
        for (long o = from, end = from + bytes; o < end; o += 4 * step) {
            s0 = s0.add(FloatVector.fromMemorySegment(species, a, o, ByteOrder.LITTLE_ENDIAN));
            s1 = s1.add(FloatVector.fromMemorySegment(species, a, o + step, ByteOrder.LITTLE_ENDIAN));
            s2 = s2.add(FloatVector.fromMemorySegment(species, a, o + 2 * step, ByteOrder.LITTLE_ENDIAN));
            s3 = s3.add(FloatVector.fromMemorySegment(species, a, o + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Bytes per second of a big copy at the current thread count (STREAM's "copy": bytes read plus
     * bytes written), best of a few runs over 2 × 64 MiB: of native memory with
     * {@link MemorySegment#copy} (freed on return), or of two heap arrays with {@link System#arraycopy}.
     */
    static double copyBandwidth(boolean quick, boolean nativeMemory) {
        long bytes = (quick ? 32L : 64L) << 20;            // per buffer: far past any cache
        int chunks = 64;
        long per = bytes / chunks;
        double best = 0;
        try (Arena arena = Arena.ofShared()) {
            Parallel.RangeBody copy;
            MemorySegment target;
            if (nativeMemory) {
                MemorySegment a = arena.allocate(bytes, 4096), b = arena.allocate(bytes, 4096);
                a.fill((byte) 1);
                copy = (c0, c1) -> MemorySegment.copy(a, c0 * per, b, c0 * per, (c1 - c0) * per);
                target = b;
            } else {
                float[] a = new float[(int) (bytes / 4)], b = new float[(int) (bytes / 4)];
                java.util.Arrays.fill(a, 1f);
                int perFloats = (int) (per / 4);
                copy = (c0, c1) -> System.arraycopy(a, c0 * perFloats, b, c0 * perFloats, (c1 - c0) * perFloats);
                target = MemorySegment.ofArray(b);
            }
            for (int rep = 0; rep < (quick ? 3 : 6); rep++) {
                long t0 = System.nanoTime();
                Parallel.forRange(chunks, 1, copy);
                best = Math.max(best, 2.0 * bytes / ((System.nanoTime() - t0) / 1e9));
            }
            if (target.get(ValueLayout.JAVA_BYTE, bytes - 1) == 0) throw new IllegalStateException("copy bandwidth: the copy did not happen");
        }
        return best;
    }

    /** Sum of the folder's {@code *.safetensors} sizes. */
    static long checkpointBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Peak and current resident memory of this process, split into heap/anonymous and mapped-file pages. */
    static String memory() {
        return String.format(Locale.ROOT, "vmhwm_mb=%.0f rss_anon_mb=%.0f rss_file_mb=%.0f", peakResidentBytes() / 1e6,
                status("RssAnon:") / 1e6, status("RssFile:") / 1e6);
    }

    /** {@code VmHWM} of this process (peak resident set), in bytes; -1 where /proc is not there. */
    public static long peakResidentBytes() { return status("VmHWM:"); }

    /** A {@code kB} field of /proc/self/status, in bytes; -1 where there is none. */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
