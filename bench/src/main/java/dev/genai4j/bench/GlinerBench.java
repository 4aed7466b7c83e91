package dev.genai4j.bench;

import dev.genai4j.models.gliner.ExtractOptions;
import dev.genai4j.models.gliner.Gliner;
import dev.genai4j.models.gliner.GlinerStageTimes;
import dev.genai4j.tensor.Parallel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Words per second of a GLiNER folder (the shipped default unless another is given) on 32 everyday
 * sentences, one text per call (batch 1) and all 32 in one call (batch 32), at each thread count;
 * and the share of each forward pass spent after the backbone (projection, LSTM, span layer,
 * span–label products) relative to the backbone itself, from {@link GlinerStageTimes}. That
 * share is a ratio inside one process, so machine load moves it far less than words/s.
 *
 * <pre>{@code
 * GlinerBench.run(Path.of("runs/gliner"), new int[]{1, 2}, false);
 * // gliner batch=1 threads=1 words_s=… heads_over_encoder=0.07 …
 * }</pre>
 */
public final class GlinerBench {
    /** Labels asked for in every text. */
    public static final List<String> LABELS = List.of("person", "location", "organization", "date");

    /** 32 sentences of 8–30 words: people, places, organisations and dates in plain prose. */
    public static final List<String> TEXTS = List.of(
            "Marie Curie was born in Warsaw and later moved to Paris to study physics.",
            "The meeting with Angela Merkel took place in Berlin on the third of May.",
            "Apple opened a new office in Austin, Texas, last year.",
            "My sister Anna works as a nurse at the hospital in Lyon.",
            "Leonardo da Vinci painted the Mona Lisa while he lived in Florence.",
            "The train from Vienna to Budapest was delayed by two hours on Friday.",
            "Toyota and Honda both reported strong sales in Japan during the spring.",
            "Nelson Mandela spent twenty-seven years in prison before he became president of South Africa.",
            "We flew from Toronto to Reykjavik and then drove along the coast of Iceland for a week.",
            "The United Nations held its annual summit in New York in September.",
            "Ada Lovelace wrote about the Analytical Engine that Charles Babbage designed in London.",
            "On Monday the mayor of Chicago announced a plan to repair the bridges over the river.",
            "Pablo Picasso was born in Malaga in 1881 and died in France in 1973.",
            "The World Health Organization published its report from Geneva last Tuesday.",
            "Carlos and Maria opened a small bakery near the harbour in Valparaiso.",
            "Amazon bought a grocery chain, and the deal closed in August 2017.",
            "Albert Einstein taught in Bern, Zurich and Prague before moving to Princeton.",
            "The Nile flows north through Sudan and Egypt into the Mediterranean Sea.",
            "During the summer of 1969 Neil Armstrong walked on the Moon.",
            "Siemens signed a contract with the city of Munich to build new trams.",
            "Frida Kahlo lived most of her life in Mexico City, in a blue house in Coyoacan.",
            "The Red Cross sent doctors to the flooded villages of Bangladesh in July.",
            "Tom met his old friend Peter at a cafe in Amsterdam on Saturday morning.",
            "The Louvre in Paris is the most visited museum in the world.",
            "Wangari Maathai founded the Green Belt Movement in Kenya in 1977.",
            "Our team from Microsoft will visit the factory in Shenzhen next week.",
            "Queen Elizabeth visited Canberra and Sydney during her tour of Australia.",
            "The Amazon rainforest covers much of Brazil, Peru and Colombia.",
            "In 1492 Christopher Columbus sailed from Spain across the Atlantic Ocean.",
            "Professor Chen from Tsinghua University gave a lecture in Singapore on Thursday.",
            "The Beatles recorded most of their albums at Abbey Road Studios in London.",
            "Greta Thunberg spoke to the European Parliament in Strasbourg about the climate.");

    private GlinerBench() {}

    /** Prints one line per (batch, threads); returns the lines. */
    public static List<String> run(Path folder, int[] threads, boolean quick) {
        List<String> lines = new ArrayList<>();
        long words = TEXTS.stream().mapToLong(t -> t.split("\\s+").length).sum();
        try (Gliner gliner = Gliner.load(folder)) {
            GlinerStageTimes times = gliner.stageTimes();
            for (int batch : new int[]{1, 32}) {
                ExtractOptions options = new ExtractOptions(0.5, true, false, batch);   // the defaults, at this batch size
                Runnable pass = batch == 1
                        ? () -> TEXTS.forEach(t -> gliner.extract(t, LABELS, options))
                        : () -> gliner.extractBatch(TEXTS, LABELS, options);
                for (int n : threads) {
                    Parallel.withThreads(n, () -> Warmup.untilSteady(pass, quick));
                    times.reset();
                    double[] ms = timed(() -> Parallel.withThreads(n, pass), quick);
                    double median = median(ms);
                    String line = String.format(Locale.ROOT,
                            "gliner batch=%d threads=%d texts=%d words=%d median_ms=%.1f words_s=%.0f heads_over_encoder=%.3f lstm_span_over_encoder=%.3f encoder_ms_per_pass=%.2f heads_ms_per_pass=%.2f%s",
                            batch, n, TEXTS.size(), words, median, words / median * 1e3, times.headsOverEncoder(), times.lstmAndSpanOverEncoder(),
                            times.encoderNanos() / 1e6 / times.passes(), times.headNanos() / 1e6 / times.passes(),
                            // by the calling thread's CPU time: the same ratio, immune to other processes, valid at 1 thread
                            n == 1 ? String.format(Locale.ROOT, " cpu_heads_over_encoder=%.3f cpu_lstm_span_over_encoder=%.3f",
                                    times.cpuHeadsOverEncoder(), times.cpuLstmAndSpanOverEncoder()) : "");
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static double[] timed(Runnable pass, boolean quick) {
        double budget = quick ? 1e9 : 4e9;
        double[] ms = new double[30];
        int n = 0;
        long start = System.nanoTime();
        while (n < ms.length && (n < 3 || System.nanoTime() - start < budget)) {
            long s = System.nanoTime();
            pass.run();
            ms[n++] = (System.nanoTime() - s) / 1e6;
        }
        return Arrays.copyOf(ms, n);
    }

    private static double median(double[] t) {
        double[] d = t.clone();
        Arrays.sort(d);
        return d[d.length / 2];
    }
}
