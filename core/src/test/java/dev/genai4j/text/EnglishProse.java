package dev.genai4j.text;

import java.util.Random;

/** Deterministic English-like prose from a small grammar (no word list ships on this machine). */
final class EnglishProse {
    private static final String[] SUBJECTS = {"The model", "A tokenizer", "The old sailor", "Every student", "Our team",
            "The quick brown fox", "She", "The committee", "A small village", "The weather"};
    private static final String[] VERBS = {"reads", "writes", "remembers", "follows", "builds", "describes",
            "jumps over", "changes", "explains", "discovers"};
    private static final String[] OBJECTS = {"the lazy dog", "a long story", "the river near the mountains",
            "their favourite song", "an important letter", "the history of the city", "every word of the book",
            "a new kind of engine", "the morning news", "the rules of the game"};
    private static final String[] TAILS = {"before the sun rises", "with great care", "in the evening",
            "because it is useful", "although nobody asked", "for the third time", "and then it rains",
            "without any help", "as quickly as possible", "during the long winter"};

    private EnglishProse() {}

    static String generate(long seed, int sentences) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(pick(r, SUBJECTS)).append(' ').append(pick(r, VERBS)).append(' ').append(pick(r, OBJECTS));
            if (r.nextBoolean()) sb.append(' ').append(pick(r, TAILS));
            sb.append(r.nextInt(5) == 0 ? "! " : ". ");
            if (r.nextInt(6) == 0) sb.append("\n\n");
        }
        return sb.toString();
    }

    private static String pick(Random r, String[] words) { return words[r.nextInt(words.length)]; }
}
