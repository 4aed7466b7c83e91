package dev.genai4j.server;

import dev.genai4j.models.bert.Embedder;
import dev.genai4j.text.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Batches encoder work across concurrent callers: the first request to arrive opens a batch, which
 * then collects further requests until it holds {@code maxTexts} texts or {@code maxWaitMicros}
 * have passed; one {@link Embedder#embed} runs over all of their texts and each caller gets its
 * own rows back. One thread owns the embedder (and the tokenizer that counts usage tokens), so the
 * model is never entered twice at once.
 *
 * <p>A request that would overflow the open batch waits for the next one; a single request larger
 * than {@code maxTexts} forms a batch of its own. If a batch fails, each of its requests is run
 * alone so that one caller's bad text cannot fail the others.
 *
 * <pre>{@code
 * try (var b = new EmbeddingBatcher(embedder, tokenizer, 512, 32, 2_000, metrics)) {
 *     EmbeddingBatcher.Result r = b.submit(List.of("a text")).get();   // r.vectors()[0].length == 384
 * }
 * }</pre>
 */
public final class EmbeddingBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBatcher.class);

    /** Vectors in input order, and the tokens the texts took (after truncation to the model's positions). */
    public record Result(float[][] vectors, int tokens) {}

    private record Pending(List<String> texts, CompletableFuture<Result> future) {}

    private final Embedder embedder;
    private final Tokenizer tokenizer;
    private final int maxPositions;
    private final int maxTexts;
    private final long maxWaitNanos;
    private final Metrics metrics;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public EmbeddingBatcher(Embedder embedder, Tokenizer tokenizer, int maxPositions, int maxTexts, long maxWaitMicros, Metrics metrics) {
        if (maxTexts < 1) throw new IllegalArgumentException("EmbeddingBatcher: maxTexts must be ≥ 1, got " + maxTexts);
        this.embedder = embedder;
        this.tokenizer = tokenizer;
        this.maxPositions = maxPositions;
        this.maxTexts = maxTexts;
        this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(maxWaitMicros);
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("genai4j-embed-batcher").daemon(true).start(this::loop);
    }

    /** Queues {@code texts} (already validated) for the next batch. */
    public CompletableFuture<Result> submit(List<String> texts) {
        if (texts.isEmpty()) throw new IllegalArgumentException("EmbeddingBatcher: no texts");
        CompletableFuture<Result> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(ApiException.unavailable("shutting_down", "the server is shutting down", 1));
            return f;
        }
        Pending p = new Pending(List.copyOf(texts), f);
        queue.add(p);
        // close() may have drained the queue between the check above and the add
        if (closed && queue.remove(p)) f.completeExceptionally(ApiException.unavailable("shutting_down", "the server is shutting down", 1));
        return f;
    }

    private void loop() {
        Pending carry = null;
        while (!closed) {
            try {
                Pending first = carry != null ? carry : queue.take();
                carry = null;
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                int n = first.texts().size();
                long deadline = System.nanoTime() + maxWaitNanos;
                while (n < maxTexts) {
                    long left = deadline - System.nanoTime();
                    Pending p = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (p == null) break;
                    if (n + p.texts().size() > maxTexts) {
                        carry = p;   // it opens the next batch
                        break;
                    }
                    batch.add(p);
                    n += p.texts().size();
                }
                run(batch, n);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (carry != null) carry.future().completeExceptionally(ApiException.unavailable("shutting_down", "the server is shutting down", 1));
        for (Pending p; (p = queue.poll()) != null; ) {
            p.future().completeExceptionally(ApiException.unavailable("shutting_down", "the server is shutting down", 1));
        }
    }

    private void run(List<Pending> batch, int n) {
        List<String> all = new ArrayList<>(n);
        for (Pending p : batch) all.addAll(p.texts());
        float[][] vectors;
        try {
            vectors = embedder.embed(all);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().future().completeExceptionally(e);
            } else {
                LOG.debug("batch of {} requests failed ({}); running them one by one", batch.size(), e.toString());
                for (Pending p : batch) run(List.of(p), p.texts().size());
            }
            return;
        }
        metrics.batch(n, batch.size());
        int at = 0;
        for (Pending p : batch) {
            int k = p.texts().size();
            float[][] mine = new float[k][];
            System.arraycopy(vectors, at, mine, 0, k);
            at += k;
            try {
                p.future().complete(new Result(mine, tokens(p.texts())));
            } catch (RuntimeException e) {
                p.future().completeExceptionally(e);
            }
        }
    }

    private int tokens(List<String> texts) {
        int sum = 0;
        for (String t : texts) sum += Math.min(tokenizer.encode(t).length(), maxPositions);
        return sum;
    }

    /** Stops the thread; requests still queued are answered 503. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
