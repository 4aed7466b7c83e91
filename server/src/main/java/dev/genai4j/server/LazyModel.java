package dev.genai4j.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * A model loaded on first use, once, and shared by every request after that. A failed load is
 * not remembered: the next request tries again (the folder may have been fixed meanwhile).
 *
 * <pre>{@code
 * LazyModel<Gliner> ner = new LazyModel<>("gliner-small", "ner", () -> Gliner.load(dir));
 * Gliner g = ner.get();   // loads on the first call, 500 model_load_failed if it cannot
 * }</pre>
 */
public final class LazyModel<T extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LazyModel.class);

    private final String id;
    private final String task;
    private final Supplier<T> loader;
    private volatile T model;
    private boolean closed;

    public LazyModel(String id, String task, Supplier<T> loader) {
        this.id = id;
        this.task = task;
        this.loader = loader;
    }

    public String id() { return id; }

    public String task() { return task; }

    public boolean isLoaded() { return model != null; }

    /** The model, loading it now if this is the first use. */
    public T get() {
        T m = model;
        if (m != null) return m;
        synchronized (this) {
            if (closed) throw ApiException.unavailable("shutting_down", "the server is shutting down", 1);
            if (model == null) {
                long t0 = System.nanoTime();
                try {
                    model = loader.get();
                } catch (ApiException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("loading {} model '{}' failed: {}", task, id, e.toString());
                    throw new ApiException(500, "server_error", "model_load_failed", "model", "the " + task + " model '" + id
                            + "' could not be loaded: " + RequestJson.clip(String.valueOf(e.getMessage()), 300), null);
                }
                LOG.info("loaded {} model '{}' in {} ms", task, id, (System.nanoTime() - t0) / 1_000_000);
            }
            return model;
        }
    }

    @Override
    public synchronized void close() throws Exception {
        closed = true;
        T m = model;
        model = null;
        if (m != null) m.close();
    }
}
