package dev.genai4j.data;

import dev.genai4j.tensor.Rng;

import java.util.List;
import java.util.stream.Stream;

/**
 * Integer arithmetic questions in the style of DeepMind's Mathematics data set (Saxton et al.,
 * arXiv 1904.01557: {@code arithmetic__add_or_sub}, {@code arithmetic__mul}, {@code arithmetic__div},
 * {@code algebra__linear_1d}), with the phrasings varied as there and every answer exact.
 * The same seed and difficulty give the same sequence.
 *
 * <pre>{@code
 * var gen = new ArithmeticGenerator(42, ArithmeticGenerator.Difficulty.MEDIUM);
 * ArithmeticProblem p = gen.next();   // e.g. ("What is -412 + 87?", "-325")
 * }</pre>
 */
public final class ArithmeticGenerator {
    /** The families of question. */
    public enum Kind { ADD, SUB, MUL, DIV, LINEAR_1D }

    /**
     * How large the numbers are: operands of add/sub up to {@code maxAbs}, factors, divisors and
     * unknowns up to about its square root, and how often a number is negative.
     */
    public enum Difficulty {
        EASY(20, 0.0, false), MEDIUM(1_000, 0.3, false), HARD(1_000_000, 0.5, true);

        final int maxAbs;
        final double negativeRate;
        final boolean unknownOnBothSides;

        Difficulty(int maxAbs, double negativeRate, boolean unknownOnBothSides) {
            this.maxAbs = maxAbs;
            this.negativeRate = negativeRate;
            this.unknownOnBothSides = unknownOnBothSides;
        }
    }

    private static final String VARIABLES = "abcdfghijklmnpqrstuvwxyz";   // no 'e' or 'o', as in the data set

    private final Rng rng;
    private final Difficulty difficulty;
    private final List<Kind> kinds;

    /** All kinds, uniformly. */
    public ArithmeticGenerator(long seed, Difficulty difficulty) { this(seed, difficulty, List.of(Kind.values())); }

    /** Only {@code kinds}, uniformly. */
    public ArithmeticGenerator(long seed, Difficulty difficulty, List<Kind> kinds) {
        if (kinds.isEmpty()) throw new DataException("ArithmeticGenerator: kinds is empty, give at least one of " + List.of(Kind.values()));
        this.rng = new Rng(seed);
        this.difficulty = difficulty;
        this.kinds = List.copyOf(kinds);
    }

    /** The next problem of a kind drawn uniformly. */
    public ArithmeticProblem next() { return next(kinds.get(rng.nextInt(kinds.size()))); }

    /** The next problem of {@code kind}. */
    public ArithmeticProblem next(Kind kind) {
        return switch (kind) {
            case ADD -> add();
            case SUB -> sub();
            case MUL -> mul();
            case DIV -> div();
            case LINEAR_1D -> linear();
        };
    }

    /** {@code n} problems, lazily. */
    public Stream<ArithmeticProblem> stream(long n) { return Stream.generate(this::next).limit(n); }

    private ArithmeticProblem add() {
        long a = number(difficulty.maxAbs), b = number(difficulty.maxAbs);
        String q = switch (rng.nextInt(4)) {
            case 0 -> "What is " + a + " + " + b + "?";
            case 1 -> "Calculate " + a + " + " + b + ".";
            case 2 -> "Add " + a + " and " + b + ".";
            default -> "What is the sum of " + a + " and " + b + "?";
        };
        return new ArithmeticProblem(Kind.ADD, q, Long.toString(a + b));
    }

    private ArithmeticProblem sub() {
        long a = number(difficulty.maxAbs), b = number(difficulty.maxAbs);
        String q = switch (rng.nextInt(3)) {
            case 0 -> "What is " + a + " - " + b + "?";
            case 1 -> "Subtract " + b + " from " + a + ".";
            default -> "Calculate " + a + " - " + b + ".";
        };
        return new ArithmeticProblem(Kind.SUB, q, Long.toString(a - b));
    }

    private ArithmeticProblem mul() {
        int f = factorBound();
        long a = number(f), b = number(f);
        String q = switch (rng.nextInt(4)) {
            case 0 -> "What is " + a + " times " + b + "?";
            case 1 -> "Multiply " + a + " and " + b + ".";
            case 2 -> "Calculate " + a + "*" + b + ".";
            default -> "What is the product of " + a + " and " + b + "?";
        };
        return new ArithmeticProblem(Kind.MUL, q, Long.toString(a * b));
    }

    private ArithmeticProblem div() {
        int f = factorBound();
        long divisor = nonZero(f), quotient = number(f), dividend = divisor * quotient;
        String q = switch (rng.nextInt(3)) {
            case 0 -> "Divide " + dividend + " by " + divisor + ".";
            case 1 -> "What is " + dividend + " divided by " + divisor + "?";
            default -> "Calculate " + dividend + "/" + divisor + ".";
        };
        return new ArithmeticProblem(Kind.DIV, q, Long.toString(quotient));
    }

    /** {@code a*x + b = c} (or {@code a*x + b = c*x + d} when HARD), unknown drawn first so the answer is an integer. */
    private ArithmeticProblem linear() {
        int f = factorBound();
        char v = VARIABLES.charAt(rng.nextInt(VARIABLES.length()));
        long x = number(f), a = nonZero(f), b = number(difficulty.maxAbs);
        String q;
        if (difficulty.unknownOnBothSides && rng.nextInt(2) == 0) {
            long c = nonZero(f);
            while (c == a) c = nonZero(f);
            long d = (a - c) * x + b;   // a x + b = c x + d  ⇔  (a − c) x = d − b
            q = "Solve " + term(a, v) + signed(b) + " = " + term(c, v) + signed(d) + " for " + v + ".";
        } else {
            long c = a * x + b;
            q = "Solve " + term(a, v) + signed(b) + " = " + c + " for " + v + ".";
        }
        return new ArithmeticProblem(Kind.LINEAR_1D, q, Long.toString(x));
    }

    private int factorBound() { return Math.max(10, (int) Math.sqrt(difficulty.maxAbs) * (difficulty == Difficulty.EASY ? 1 : 2)); }

    private long number(int maxAbs) {
        long n = rng.nextInt(maxAbs + 1);
        return rng.uniform() < difficulty.negativeRate ? -n : n;
    }

    private long nonZero(int maxAbs) {
        long n = 1 + rng.nextInt(maxAbs);
        return rng.uniform() < difficulty.negativeRate ? -n : n;
    }

    private static String term(long coefficient, char v) {
        return coefficient == 1 ? String.valueOf(v) : coefficient == -1 ? "-" + v : coefficient + "*" + v;
    }

    private static String signed(long b) { return b == 0 ? "" : b > 0 ? " + " + b : " - " + (-b); }
}
