package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Rng;

import java.util.List;
import java.util.stream.Stream;

/**
 * Random captioned scenes: a single primitive, or with probability {@code pairRate} two of them
 * on top of / next to / to the left of each other; primitive, colour, size, yaw and caption
 * template uniform. The same seed gives the same stream.
 *
 * <pre>{@code
 * var gen = new ShapeGenerator(42, 0.3);
 * ShapeExample ex = gen.next();            // e.g. "a small red cone on top of a blue cube"
 * PointCloud pc = ex.scene().sample(4096, new Rng(ex.seed()));
 * }</pre>
 */
public final class ShapeGenerator {
    private final Rng rng;
    private final double pairRate;
    private final List<Primitive> primitives;
    private long index;

    /** All primitives; {@code pairRate} in [0, 1] is the share of two-object scenes. */
    public ShapeGenerator(long seed, double pairRate) { this(seed, pairRate, List.of(Primitive.values())); }

    public ShapeGenerator(long seed, double pairRate, List<Primitive> primitives) {
        if (!(pairRate >= 0 && pairRate <= 1)) throw new DataException("ShapeGenerator: pairRate must lie in [0, 1], got " + pairRate);
        if (primitives.isEmpty()) throw new DataException("ShapeGenerator: primitives is empty, give at least one of " + List.of(Primitive.values()));
        this.rng = new Rng(seed);
        this.pairRate = pairRate;
        this.primitives = List.copyOf(primitives);
    }

    /** The next example. */
    public ShapeExample next() {
        Scene scene;
        if (rng.uniform() < pairRate) {
            Relation r = Relation.values()[rng.nextInt(Relation.values().length)];
            ObjectSpec a = spec(), b = spec();
            scene = Scene.pair(a, r, b, yaw(), yaw(), rng.nextInt(2) == 0);
        } else {
            scene = Scene.single(spec(), yaw());
        }
        String caption = CaptionWriter.caption(scene, rng);
        return new ShapeExample(index++, scene, caption, rng.nextLong());
    }

    /** {@code n} examples, lazily. */
    public Stream<ShapeExample> stream(long n) { return Stream.generate(this::next).limit(n); }

    private ObjectSpec spec() {
        return new ObjectSpec(primitives.get(rng.nextInt(primitives.size())),
                PaletteColour.values()[rng.nextInt(PaletteColour.values().length)],
                ShapeSize.values()[rng.nextInt(ShapeSize.values().length)]);
    }

    /** Yaw in [0, π/2): a quarter turn covers every distinct pose of the cube and pyramid. */
    private double yaw() { return Math.PI / 2 * rng.uniform(); }
}
