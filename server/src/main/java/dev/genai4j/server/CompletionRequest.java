package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.mixtral.GenerationOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A checked {@code /v1/completions} or {@code /v1/chat/completions} request: OpenAI's fields
 * ({@code model, prompt | messages, max_tokens | max_completion_tokens, temperature, top_p, seed,
 * stop, n, stream, stream_options, user}; {@code frequency_penalty} and {@code presence_penalty}
 * only as 0) plus vLLM's extras {@code top_k}, {@code repetition_penalty} and {@code ignore_eos}.
 * Temperature 0 is greedy decoding; otherwise tokens are sampled, seeded by {@code seed} (random
 * when absent). {@code n} must be 1.
 *
 * <pre>{@code
 * CompletionRequest r = CompletionRequest.parse(body, true, limits);
 * GenerationOptions o = r.options(maxNewTokens);
 * }</pre>
 *
 * @param model       the model asked for, or null
 * @param prompt      the text the model continues (chat: the messages through {@link ChatTemplate})
 * @param maxTokens   tokens to generate at most, or null for as many as the limit allows
 * @param stream      answer as server-sent events
 * @param includeUsage with {@code stream}: a last chunk carrying {@code usage}
 */
public record CompletionRequest(boolean chat, String model, String prompt, Integer maxTokens, boolean sample, float temperature,
                                float topP, int topK, float repetitionPenalty, long seed, List<String> stop, boolean ignoreEos,
                                boolean stream, boolean includeUsage) {
    private static final Set<String> COMMON = Set.of("model", "max_tokens", "temperature", "top_p", "seed", "stop", "n", "stream",
            "stream_options", "user", "frequency_penalty", "presence_penalty", "top_k", "repetition_penalty", "ignore_eos");
    /** Completions default to 16 tokens, as OpenAI's. */
    static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

    static Set<String> fields(boolean chat) {
        Set<String> s = new HashSet<>(COMMON);
        if (chat) {
            s.add("messages");
            s.add("max_completion_tokens");
        } else {
            s.add("prompt");
        }
        return s;
    }

    public static CompletionRequest parse(ObjectNode body, boolean chat, Limits limits) {
        Fields.allowOnly(body, fields(chat));
        String model = Fields.optionalString(body, "model", 255);
        String prompt = chat ? ChatTemplate.render(messages(body.get("messages"), limits)) : prompt(body.get("prompt"), limits);
        Integer maxTokens = null;
        for (String f : chat ? List.of("max_completion_tokens", "max_tokens") : List.of("max_tokens")) {
            if (Fields.has(body, f)) {
                maxTokens = Fields.integer(body, f, 0, 1, limits.maxNewTokens());
                break;
            }
        }
        if (maxTokens == null && !chat) maxTokens = Math.min(COMPLETIONS_DEFAULT_MAX_TOKENS, limits.maxNewTokens());
        double temperature = Fields.number(body, "temperature", 1.0, 0.0, 2.0);
        double topP = Fields.number(body, "top_p", 1.0, 0.0, 1.0);
        if (topP == 0) throw ApiException.badRequest("top_p", "out_of_range", "'top_p' must be greater than 0 (1 keeps every token); for the most probable token use 'temperature': 0");
        int topK = Fields.integer(body, "top_k", 0, -1, 1_000_000);
        if (topK == -1) topK = 0;   // vLLM's "no limit"
        double penalty = Fields.number(body, "repetition_penalty", 1.0, 0.01, 100.0);
        for (String f : List.of("frequency_penalty", "presence_penalty")) {
            if (Fields.number(body, f, 0.0, -2.0, 2.0) != 0.0) {
                throw ApiException.badRequest(f, "unsupported_value", "'" + f + "' is not supported here; send 0 or leave it out (repetition_penalty is)");
            }
        }
        int n = Fields.integer(body, "n", 1, 1, Integer.MAX_VALUE);
        if (n != 1) throw ApiException.badRequest("n", "unsupported_value", "'n' must be 1: one choice per request, got " + n);
        long seed = seed(body);
        List<String> stop = new ArrayList<>(stop(body.get("stop"), limits));
        if (chat) stop.addAll(ChatTemplate.STOPS);
        boolean stream = Fields.bool(body, "stream", false);
        boolean includeUsage = streamOptions(body.get("stream_options"), stream);
        Fields.optionalString(body, "user", 256);
        boolean ignoreEos = Fields.bool(body, "ignore_eos", false);
        return new CompletionRequest(chat, model, prompt, maxTokens, temperature > 0, temperature > 0 ? (float) temperature : 1f,
                (float) topP, topK, (float) penalty, seed, List.copyOf(stop), ignoreEos, stream, includeUsage);
    }

    /** The generator's options, {@code maxNew} tokens at most. */
    public GenerationOptions options(int maxNew) {
        return new GenerationOptions(maxNew, sample, temperature, topK, topP, repetitionPenalty, stop, seed, !ignoreEos);
    }

    private static String prompt(JsonNode n, Limits limits) {
        if (n == null || n.isNull()) throw ApiException.badRequest("prompt", "missing_parameter", "'prompt' is required");
        if (n.isArray()) {
            if (n.size() != 1 || !n.get(0).isTextual()) {
                throw ApiException.badRequest("prompt", "unsupported_input", "'prompt' must be a string (or an array of exactly one string); "
                        + "batches and token ids are not supported");
            }
            n = n.get(0);
        }
        if (!n.isTextual()) throw ApiException.badRequest("prompt", "invalid_type", "'prompt' must be a string, got " + Fields.kind(n));
        return Fields.checkText(n.textValue(), "prompt", limits);
    }

    private static List<ChatTemplate.Message> messages(JsonNode n, Limits limits) {
        if (n == null || n.isNull()) throw ApiException.badRequest("messages", "missing_parameter", "'messages' is required: [{\"role\": \"user\", \"content\": \"…\"}]");
        if (!n.isArray()) throw ApiException.badRequest("messages", "invalid_type", "'messages' must be an array of messages, got " + Fields.kind(n));
        if (n.isEmpty()) throw ApiException.badRequest("messages", "empty_array", "'messages' is empty; send at least one message");
        if (n.size() > limits.maxTexts()) {
            throw ApiException.badRequest("messages", "too_many_messages", "'messages' has " + n.size() + " entries, more than the limit of " + limits.maxTexts());
        }
        List<ChatTemplate.Message> out = new ArrayList<>();
        int chars = 0;
        for (int i = 0; i < n.size(); i++) {
            String where = "messages[" + i + "]";
            JsonNode m = n.get(i);
            if (!m.isObject()) throw ApiException.badRequest(where, "invalid_type", "'" + where + "' must be an object, got " + Fields.kind(m));
            Fields.allowOnly((ObjectNode) m, Set.of("role", "content", "name"));
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) throw ApiException.badRequest(where + ".role", "invalid_type", "'" + where + ".role' must be a string");
            String r = switch (role.textValue()) {
                case "system", "developer" -> "system";
                case "user" -> "user";
                case "assistant" -> "assistant";
                default -> throw ApiException.badRequest(where + ".role", "invalid_value", "'" + where + ".role' must be system, developer, user or assistant, got '"
                        + RequestJson.clip(role.textValue(), 40) + "'");
            };
            String content = content(m.get("content"), where + ".content", limits);
            chars += content.length();
            if (chars > limits.maxTextChars()) {
                throw ApiException.badRequest("messages", "text_too_long", "the messages hold more than " + limits.maxTextChars() + " characters (the limit)");
            }
            out.add(new ChatTemplate.Message(r, content));
        }
        return out;
    }

    /** A string, or OpenAI's array of {@code {"type": "text", "text": …}} parts (joined). */
    private static String content(JsonNode c, String where, Limits limits) {
        if (c == null || c.isNull()) throw ApiException.badRequest(where, "missing_parameter", "'" + where + "' is required");
        if (c.isTextual()) return Fields.checkText(c.textValue(), where, limits);
        if (!c.isArray()) throw ApiException.badRequest(where, "invalid_type", "'" + where + "' must be a string or an array of text parts, got " + Fields.kind(c));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            JsonNode p = c.get(i);
            String pw = where + "[" + i + "]";
            if (!p.isObject() || p.get("type") == null || !"text".equals(p.get("type").asText()) || p.get("text") == null || !p.get("text").isTextual()) {
                throw ApiException.badRequest(pw, "unsupported_input", "'" + pw + "' must be {\"type\": \"text\", \"text\": \"…\"}; only text parts are supported");
            }
            sb.append(p.get("text").textValue());
        }
        return Fields.checkText(sb.toString(), where, limits);
    }

    private static long seed(ObjectNode body) {
        JsonNode s = body.get("seed");
        if (s == null || s.isNull()) return ThreadLocalRandom.current().nextLong();
        if (!s.isIntegralNumber() || !s.canConvertToLong()) {
            throw ApiException.badRequest("seed", "invalid_type", "'seed' must be an integer, got " + (s.isNumber() ? RequestJson.clip(s.asText(), 40) : Fields.kind(s)));
        }
        return s.longValue();
    }

    /** OpenAI's {@code stop}: a string or up to 4 strings, none empty. */
    private static List<String> stop(JsonNode n, Limits limits) {
        if (n == null || n.isNull()) return List.of();
        List<JsonNode> items = new ArrayList<>();
        if (n.isTextual()) items.add(n);
        else if (n.isArray()) n.forEach(items::add);
        else throw ApiException.badRequest("stop", "invalid_type", "'stop' must be a string or an array of strings, got " + Fields.kind(n));
        if (items.size() > 4) throw ApiException.badRequest("stop", "too_many_stops", "'stop' has " + items.size() + " strings, more than the limit of 4");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode s = items.get(i);
            String where = n.isArray() ? "stop[" + i + "]" : "stop";
            if (!s.isTextual()) throw ApiException.badRequest(where, "invalid_type", "'" + where + "' must be a string, got " + Fields.kind(s));
            if (s.textValue().isEmpty()) throw ApiException.badRequest(where, "empty_text", "'" + where + "' is empty");
            if (s.textValue().length() > limits.maxLabelChars()) {
                throw ApiException.badRequest(where, "string_too_long", "'" + where + "' is " + s.textValue().length() + " characters, more than the limit of " + limits.maxLabelChars());
            }
            out.add(s.textValue());
        }
        return out;
    }

    /** {@code {"include_usage": bool}}, only with streaming. */
    private static boolean streamOptions(JsonNode n, boolean stream) {
        if (n == null || n.isNull()) return false;
        if (!stream) throw ApiException.badRequest("stream_options", "invalid_value", "'stream_options' is only allowed with 'stream': true");
        if (!n.isObject()) throw ApiException.badRequest("stream_options", "invalid_type", "'stream_options' must be an object, got " + Fields.kind(n));
        Fields.allowOnly((ObjectNode) n, Set.of("include_usage"));
        return Fields.bool((ObjectNode) n, "include_usage", false);
    }
}
