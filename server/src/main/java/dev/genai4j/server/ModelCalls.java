package dev.genai4j.server;

import dev.genai4j.tensor.TensorException;
import dev.genai4j.text.TokenizerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Runs model work for a request and turns what the models throw into answers: input the model
 * refuses (no mask token, too many tokens, …) is a 400 with the model's message; anything else
 * from a model is a 500 whose message names the model error but carries no stack trace.
 *
 * <pre>{@code
 * List<Entity> es = ModelCalls.run("ner", () -> gliner.extract(text, labels, options));
 * EmbeddingBatcher.Result r = ModelCalls.await("embedding", batcher.submit(texts));
 * }</pre>
 */
public final class ModelCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCalls.class);

    private ModelCalls() {}

    public static <T> T run(String task, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw translate(task, e);
        }
    }

    /** Waits for {@code f}; the request thread blocks, its work-queue slot stays held. */
    public static <T> T await(String task, CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? translate(task, r) : translate(task, new RuntimeException(c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("shutting_down", "the server is shutting down", 1);
        }
    }

    static ApiException translate(String task, RuntimeException e) {
        if (e instanceof ApiException a) return a;
        if (e instanceof IllegalArgumentException || e instanceof TokenizerException) {
            return ApiException.badRequest(null, "invalid_input", RequestJson.clip(String.valueOf(e.getMessage()), 500));
        }
        LOG.warn("{} model failed", task, e);
        String what = e instanceof TensorException ? RequestJson.clip(String.valueOf(e.getMessage()), 300) : e.getClass().getSimpleName();
        return new ApiException(500, "server_error", "model_error", null, "the " + task + " model failed: " + what, null);
    }
}
