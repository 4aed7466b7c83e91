package dev.genai4j.data.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One emoji of the Twemoji set: its code points ({@code unified}), CLDR-style name, short names,
 * category and subcategory, and its 64 × 64 RGBA PNG.
 */
public record Emoji(String unified, String name, List<String> shortNames, String category, String subcategory, Path image) {
    public Emoji {
        shortNames = List.copyOf(shortNames);
    }

    /**
     * Caption texts for this emoji, lower case: the name, each short name with {@code _}/{@code -}
     * as spaces, and "name, category" — the material the training code draws captions from.
     */
    public List<String> captions() {
        List<String> out = new ArrayList<>();
        String n = name.toLowerCase(Locale.ROOT);
        out.add(n);
        for (String s : shortNames) {
            String t = s.replace('_', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
            if (!out.contains(t)) out.add(t);
        }
        out.add(n + ", " + category.toLowerCase(Locale.ROOT));
        return out;
    }
}
