package dev.genai4j.models.diffusion.reward;

import java.util.List;

/** A reward name that is not registered; the message lists the valid ones. */
public final class UnknownRewardException extends IllegalArgumentException {
    private final String name;

    public UnknownRewardException(String name, List<String> valid) {
        super("unknown reward '" + name + "'; valid rewards: " + String.join(", ", valid));
        this.name = name;
    }

    /** The name that was asked for. */
    public String requested() { return name; }
}
