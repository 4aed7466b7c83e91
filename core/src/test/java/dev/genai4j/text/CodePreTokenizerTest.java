package dev.genai4j.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CodePreTokenizerTest {

    @Test
    void keepsIndentationAndOperatorsWhole() {
        assertEquals(List.of("    ", "if", " (", "a", " ==", " b", " &&", " c", " !=", " d", ")", " {"),
                CodePreTokenizer.split("    if (a == b && c != d) {"));
        assertEquals(List.of("x", "->", "y", "::", "z", " +=", " 1", ";", "\n\n        ", "return", " i", "++", ";"),
                CodePreTokenizer.split("x->y::z += 1;\n\n        return i++;"));
        assertEquals(List.of("a", " >>>=", " 2", ";", " //", " done", "\t\t", "x", "<<", "3"),
                CodePreTokenizer.split("a >>>= 2; // done\t\tx<<3"));
        assertEquals(List.of("foo", "();", " bar", "(", "...", ")", " \u00a0"),   // NBSP is not whitespace here: a symbol
                CodePreTokenizer.split("foo(); bar(...) \u00a0"));
    }

    @Test
    void splitsProseLikeGpt2() {
        assertEquals(List.of("Don", "'t", " stop", ",", " it", "'s", " 2025", "!", "  ", "Naïve", " café", "."),
                CodePreTokenizer.split("Don't stop, it's 2025!  Naïve café."));
        assertEquals(List.of("日本語", " テキスト", " 😀", " x", "\r\n"), CodePreTokenizer.split("日本語 テキスト 😀 x\r\n"));
        assertEquals(List.of(), CodePreTokenizer.split(""));
        assertEquals(List.of(" \t \n "), CodePreTokenizer.split(" \t \n "));
    }

    @Test
    void piecesConcatenateBackToTheText() {
        String text = "int x = a<b ? c : d; /* é */ s += \"q\\n\";\r\n\tλ→∞ 10_000L";
        assertEquals(text, String.join("", CodePreTokenizer.split(text)));
    }

    @Test
    void byteLevelMatchesGpt2Alphabet() {
        assertEquals('Ġ', ByteLevel.charOf(' '));
        assertEquals('Ċ', ByteLevel.charOf('\n'));
        assertEquals('ĉ', ByteLevel.charOf('\t'));
        assertEquals('A', ByteLevel.charOf('A'));
        assertEquals('Ā', ByteLevel.charOf(0));
        assertEquals("ĠcafÃ©", ByteLevel.encode(" café"));
        java.util.Set<Character> distinct = new java.util.HashSet<>();
        for (int b = 0; b < 256; b++) distinct.add(ByteLevel.charOf(b));
        assertEquals(256, distinct.size());
    }
}
