package dev.genai4j.server;

import java.util.List;

/**
 * Turns chat messages into one prompt for a model without a chat template of its own. Each turn is
 * a tag line and the content, and the prompt ends with the assistant's tag, so the model writes
 * the assistant's turn:
 *
 * <pre>
 * &lt;|system|&gt;
 * You are terse.
 * &lt;|user|&gt;
 * Tell me a story.
 * &lt;|assistant|&gt;
 * </pre>
 *
 * The tags are plain text to the tokenizer. Generation stops at the next tag ({@link #STOPS}), so a
 * model that goes on to write the user's next turn is cut there. Jinja templates from
 * {@code tokenizer_config.json} are not rendered.
 *
 * <pre>{@code
 * String prompt = ChatTemplate.render(List.of(new ChatTemplate.Message("user", "Hello")));
 * }</pre>
 */
public final class ChatTemplate {
    /** One turn: role {@code system}, {@code user} or {@code assistant}, and its text. */
    public record Message(String role, String content) {}

    /** Where the assistant's turn ends: any tag that would open another turn. */
    public static final List<String> STOPS = List.of("<|user|>", "<|system|>", "<|assistant|>");

    private ChatTemplate() {}

    public static String render(List<Message> messages) {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) sb.append("<|").append(m.role()).append("|>\n").append(m.content()).append('\n');
        return sb.append("<|assistant|>\n").toString();
    }
}
