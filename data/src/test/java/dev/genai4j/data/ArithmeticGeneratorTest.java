package dev.genai4j.data;

import dev.genai4j.data.ArithmeticGenerator.Difficulty;
import dev.genai4j.data.ArithmeticGenerator.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class ArithmeticGeneratorTest {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    private static long[] numbers(String q) {
        Matcher m = NUMBER.matcher(q);
        return m.results().mapToLong(r -> Long.parseLong(r.group())).toArray();
    }

    @Test
    void sameSeedSameProblems() {
        List<ArithmeticProblem> a = new ArithmeticGenerator(7, Difficulty.MEDIUM).stream(50).toList();
        List<ArithmeticProblem> b = new ArithmeticGenerator(7, Difficulty.MEDIUM).stream(50).toList();
        List<ArithmeticProblem> c = new ArithmeticGenerator(8, Difficulty.MEDIUM).stream(50).toList();
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(Kind.values().length, a.stream().map(ArithmeticProblem::kind).distinct().count());
    }

    @Test
    void answersAreExact() {
        for (Difficulty d : Difficulty.values()) {
            ArithmeticGenerator gen = new ArithmeticGenerator(3, d);
            for (int i = 0; i < 400; i++) {
                ArithmeticProblem p = gen.next();
                long ans = Long.parseLong(p.answer());
                String q = p.question();
                long[] n = numbers(q);
                switch (p.kind()) {
                    case ADD -> assertEquals(n[0] + n[1], ans, q);
                    case SUB -> assertEquals(q.startsWith("Subtract") ? n[1] - n[0] : n[0] - n[1], ans, q);
                    case MUL -> assertEquals(n[0] * n[1], ans, q);
                    case DIV -> assertEquals(n[0], n[1] * ans, q);
                    case LINEAR_1D -> assertTrue(solves(q, ans), q + " -> " + ans);
                }
            }
        }
    }

    /** Substitutes {@code x} into "Solve L = R for v." with L, R sums of terms like 3*v, -v, 12. */
    private static boolean solves(String q, long x) {
        Matcher m = Pattern.compile("Solve (.*) = (.*) for ([a-z])\\.").matcher(q);
        assertTrue(m.matches(), q);
        String v = m.group(3);
        return side(m.group(1), v, x) == side(m.group(2), v, x);
    }

    private static long side(String expr, String v, long x) {
        long sum = 0;
        for (String term : expr.replace(" - ", " + -").split(" \\+ ")) {
            term = term.strip();
            if (term.equals(v)) sum += x;
            else if (term.equals("-" + v)) sum -= x;
            else if (term.endsWith("*" + v)) sum += Long.parseLong(term.substring(0, term.length() - 2)) * x;
            else sum += Long.parseLong(term);
        }
        return sum;
    }

    @Test
    void easyStaysSmallAndNonNegative() {
        ArithmeticGenerator gen = new ArithmeticGenerator(11, Difficulty.EASY, List.of(Kind.ADD, Kind.SUB));
        for (int i = 0; i < 300; i++) {
            ArithmeticProblem p = gen.next();
            for (long n : numbers(p.question())) assertTrue(n >= 0 && n <= 20, p.question());
        }
        ArithmeticProblem one = new ArithmeticGenerator(1, Difficulty.EASY).next(Kind.DIV);
        assertTrue(one.text().startsWith("Question: ") && one.text().contains("\nAnswer: "), one.text());
    }

    @Test
    void noKindsIsAnError() {
        assertThrows(DataException.class, () -> new ArithmeticGenerator(1, Difficulty.EASY, List.of()));
    }
}
