package dev.genai4j.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark compares like with like: both sides compute the same C from the same inputs. */
class GemmBenchTest {

    private static void assertSameProduct(GemmBench.Shape shape, boolean transposedB, boolean gemv) {
        try (var op = new GemmBench.Operands(shape, transposedB, gemv, 7)) {
            op.ours();
            op.openblas();
            float[] blas = op.openblasResult();
            float tol = 1e-5f * shape.k();
            for (int i = 0; i < blas.length; i++) {
                if (Math.abs(blas[i] - op.c[i]) > tol) {
                    throw new AssertionError(shape + " transB=" + transposedB + ": C[" + i + "] ours "
                            + op.c[i] + " but OpenBLAS " + blas[i]);
                }
            }
            assertTrue(Math.abs(blas[0]) > 0, "a non-trivial product");
        }
    }

    @Test
    void oursEqualsOpenBlasOnSmallCases() {
        assertSameProduct(new GemmBench.Shape(67, 45, 129), false, false);
        assertSameProduct(new GemmBench.Shape(67, 45, 129), true, false);
        for (boolean gemv : new boolean[]{false, true}) {                  // the decode path, both baselines
            assertSameProduct(new GemmBench.Shape(1, 300, 257), false, gemv);
            assertSameProduct(new GemmBench.Shape(1, 300, 257), true, gemv);
        }
    }

    @Test
    void resultLineHasTheDocumentedForm() {
        var r = new GemmBench.Result(new GemmBench.Shape(1024, 1024, 1024), 1, 123.4, 150.2);
        assertEquals("gemm M=1024 N=1024 K=1024 threads=1 ours=123.4 openblas=150.2 ratio=0.82", r.line());
    }

    @Test
    void sizesParseAsCubesOrTriples() {
        assertEquals(new GemmBench.Shape(256, 256, 256), GemmBench.Shape.parse("256"));
        assertEquals(new GemmBench.Shape(1, 4096, 2048), GemmBench.Shape.parse("1x4096x2048"));
        var e = assertThrows(IllegalArgumentException.class, () -> GemmBench.Shape.parse("12x3"));
        assertTrue(e.getMessage().contains("12x3"), e.getMessage());
    }

    @Test
    void tinyRunReportsOneLinePerCase() {
        var opts = new GemmBench.Options(List.of(new GemmBench.Shape(32, 32, 32)), List.of(1, 2), 1, 0.001, false, false);
        var lines = new java.util.ArrayList<String>();
        var results = GemmBench.run(opts, lines::add);
        assertEquals(2, results.size());
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("gemm M=32 N=32 K=32 threads=2 ours="), lines.get(1));
        assertTrue(results.get(0).ours() > 0 && results.get(0).openblas() > 0);
    }
}
