package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.diffusion.eval.PromptClasses;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompts that differ from a given one in meaning, for {@link TextNorm} (arXiv 2404.01863 builds
 * them with rules for simple prompts and with a language model for others). Rules here:
 * <ul>
 *   <li><b>class</b>: the class the prompt names, replaced by every other class name ("a dress" →
 *       "a coat", "a bag", …), with "a"/"an" fixed to the new word;</li>
 *   <li><b>colour</b>: a colour word replaced by every other colour of {@link #COLOURS};</li>
 *   <li><b>count</b>: a number word or digit 1–10 replaced by the next lower and higher count
 *       ("two bags" → "one bag", "three bags").</li>
 * </ul>
 * An optional language-model callback adds its own alternatives (the RL code passes the
 * project's LM there). Results keep first-seen order, drop duplicates and the prompt itself.
 *
 * <pre>{@code
 * ContrastivePrompts cp = ContrastivePrompts.fashionMnist();
 * cp.generate("two red dresses");   // [two red t-shirts, …, two orange dresses, …, one red dress, three red dresses]
 * }</pre>
 */
public final class ContrastivePrompts {
    /** Colour words swapped by the colour rule. */
    public static final List<String> COLOURS = List.of("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown",
            "black", "white", "grey");
    private static final List<String> COUNTS = List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");
    private static final Pattern COLOUR = Pattern.compile("(?<![\\p{L}])(" + String.join("|", COLOURS) + "|gray)(?![\\p{L}])");
    private static final Pattern COUNT = Pattern.compile("(?<![\\p{L}\\p{N}])(" + String.join("|", COUNTS) + "|10|[1-9])(?![\\p{L}\\p{N}])\\s+(\\p{L}+)");
    private static final Pattern ARTICLE = Pattern.compile("(?<![\\p{L}])(a|an)\\s+$");

    private final PromptClasses classes;
    private final List<String> displayNames;           // lower-case class names used as replacements
    private final Function<String, List<String>> languageModel;   // may be null

    public ContrastivePrompts(PromptClasses classes, Function<String, List<String>> languageModel) {
        this.classes = classes;
        this.languageModel = languageModel;
        List<String> names = new ArrayList<>();
        for (String n : classes.classNames()) names.add(n.split("/")[0].toLowerCase(Locale.ROOT));
        this.displayNames = List.copyOf(names);
    }

    /** Rules over the Fashion-MNIST class names, no language model. */
    public static ContrastivePrompts fashionMnist() { return new ContrastivePrompts(PromptClasses.fashionMnist(), null); }

    /** The same rules plus {@code languageModel}'s suggestions (called once per prompt). */
    public ContrastivePrompts withLanguageModel(Function<String, List<String>> languageModel) {
        return new ContrastivePrompts(classes, languageModel);
    }

    /** Every contrastive prompt for {@code prompt}: class swaps, colour swaps, count changes, then the LM's. */
    public List<String> generate(String prompt) {
        Set<String> out = new LinkedHashSet<>();
        out.addAll(swapClass(prompt));
        out.addAll(swapColour(prompt));
        out.addAll(changeCount(prompt));
        if (languageModel != null) {
            for (String s : languageModel.apply(prompt)) if (s != null && !s.isBlank()) out.add(s.strip());
        }
        out.remove(prompt);
        return List.copyOf(out);
    }

    /** The prompt with its class mention replaced by each other class. */
    public List<String> swapClass(String prompt) {
        PromptClasses.Match m = classes.find(prompt);
        if (m == null) return List.of();
        List<String> out = new ArrayList<>();
        for (int c = 0; c < displayNames.size(); c++) {
            if (c == m.label()) continue;
            String name = displayNames.get(c);
            if (m.plural()) name += isSibilantEnd(name) ? "es" : "s";
            out.add(withArticle(prompt.substring(0, m.start()), name) + prompt.substring(m.end()));
        }
        return out;
    }

    /** The prompt with its first colour word replaced by each other colour. */
    public static List<String> swapColour(String prompt) {
        Matcher m = COLOUR.matcher(prompt.toLowerCase(Locale.ROOT));
        if (!m.find()) return List.of();
        String found = m.group(1).equals("gray") ? "grey" : m.group(1);
        List<String> out = new ArrayList<>();
        for (String c : COLOURS) {
            if (c.equals(found)) continue;
            out.add(withArticle(prompt.substring(0, m.start()), c) + prompt.substring(m.end()));
        }
        return out;
    }

    /** The prompt with its first count (1–10, word or digit) one lower and one higher, the noun's plural adjusted. */
    public static List<String> changeCount(String prompt) {
        Matcher m = COUNT.matcher(prompt.toLowerCase(Locale.ROOT));
        if (!m.find()) return List.of();
        String tok = m.group(1);
        boolean digit = Character.isDigit(tok.charAt(0));
        int n = digit ? Integer.parseInt(tok) : COUNTS.indexOf(tok) + 1;
        String noun = prompt.substring(m.start(2), m.end(2));
        List<String> out = new ArrayList<>();
        for (int k : new int[]{n - 1, n + 1}) {
            if (k < 1 || k > 10) continue;
            String count = digit ? Integer.toString(k) : COUNTS.get(k - 1);
            String newNoun = noun;
            if (k == 1 && n > 1 && noun.endsWith("s")) newNoun = noun.endsWith("es") && noun.length() > 3 && isSibilantStem(noun)
                    ? noun.substring(0, noun.length() - 2) : noun.substring(0, noun.length() - 1);
            if (k > 1 && n == 1) newNoun = noun + (isSibilantEnd(noun) ? "es" : "s");
            out.add(prompt.substring(0, m.start(1)) + count + prompt.substring(m.end(1), m.start(2)) + newNoun + prompt.substring(m.end(2)));
        }
        return out;
    }

    /** {@code before} with a trailing "a"/"an" made to agree with {@code word}. */
    private static String withArticle(String before, String word) {
        Matcher a = ARTICLE.matcher(before);
        if (!a.find()) return before + word;
        boolean vowel = "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0;
        String article = vowel ? "an" : "a";
        if (Character.isUpperCase(before.charAt(a.start()))) article = Character.toUpperCase(article.charAt(0)) + article.substring(1);
        return before.substring(0, a.start()) + article + before.substring(a.end(1)) + word;
    }

    private static boolean isSibilantEnd(String noun) {
        return noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("z") || noun.endsWith("ch") || noun.endsWith("sh");
    }

    private static boolean isSibilantStem(String plural) { return isSibilantEnd(plural.substring(0, plural.length() - 2)); }
}
