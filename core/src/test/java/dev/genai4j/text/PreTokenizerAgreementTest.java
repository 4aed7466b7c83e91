package dev.genai4j.text;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Java regex that training splits with and the Oniguruma one the Rust library runs from
 * the written tokenizer.json must cut text at the same places. The pre-tokenizer section of a
 * real written file is paired with a WordLevel model whose only entry is &lt;unk&gt;, so every
 * piece the library cuts comes back as one token whose span is the piece.
 */
class PreTokenizerAgreementTest {
    @TempDir static Path dir;
    static HfTokenizer pieces;

    @BeforeAll
    static void load() throws IOException {
        Path written = dir.resolve("bpe.json");
        new BpeTrainer(300, List.of("<s>"), 2).feed("a a a").train().writeTokenizerJson(written);
        JsonObject root = JsonParser.parseString(Files.readString(written, StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject model = new JsonObject();
        model.addProperty("type", "WordLevel");
        JsonObject vocab = new JsonObject();
        vocab.addProperty("<unk>", 0);
        model.add("vocab", vocab);
        model.addProperty("unk_token", "<unk>");
        root.add("model", model);
        root.add("added_tokens", new com.google.gson.JsonArray());
        Files.writeString(dir.resolve("tokenizer.json"), root.toString(), StandardCharsets.UTF_8);
        pieces = HfTokenizer.load(dir);
    }

    @AfterAll
    static void close() { pieces.close(); }

    @Test
    void agreesOnHandPickedText() {
        List<String> texts = List.of(
                "The quick brown fox doesn't jump; it's 3.14159 times faster than 1,000,000 snails!",
                "public final class Foo<T extends Comparable<? super T>> {\n    private int x = 0x1F;\n\n"
                        + "    @Override\n    public boolean equals(Object o) {\n        return o instanceof Foo<?> f && f.x == x;\n    }\n}\n",
                "\tif (a >>>= 2 || b <<= 3) { c->d; e::f; g += h; i -= j; k *= l; m /= n; } // comment\r\n\t\t/* block */",
                "x=>y ... a===b !== c ++i --j %= &= |= ^= /** javadoc */",
                "Ünïcödé café naïve résumé — “quoted” ‘single’ «guillemets»",
                "日本語のテキストと中文文本 한국어 텍스트 العربية हिन्दी ไทย",
                "emoji 😀🚀👩‍💻 flags 🇫🇷 and e\u0301 combining, NBSP\u00a0x, ideographic\u3000space, line\u2028sep",
                "digits 0123456789 ١٢٣ ⅫⅣ ² ½ x1y22z333",
                "   leading and trailing   ", "\n\n\n", " ", "", "a", "'s 't 're 've 'm 'll 'd 'S",
                "\u000b\f vertical tab and form feed \u0085 next line");
        for (String text : texts) assertSameSplit(text);
    }

    @Test
    void agreesOnRealJavaSources() throws IOException {
        for (String source : JdkSources.read("java.base/java/lang/", 0, 120_000)) assertSameSplit(source);
    }

    private static void assertSameSplit(String text) {
        List<String> java = CodePreTokenizer.split(text);
        Encoding e = pieces.encodeBatch(List.of(text), EncodeOptions.defaults().addSpecialTokens(false)).getFirst();
        List<String> rust = new ArrayList<>();
        for (int i = 0; i < e.length(); i++) rust.add(text.substring(e.charStarts()[i], e.charEnds()[i]));
        assertEquals(java, rust, () -> "split differs on: " + text.substring(0, Math.min(200, text.length())));
    }
}
