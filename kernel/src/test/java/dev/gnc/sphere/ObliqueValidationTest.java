package dev.gnc.sphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to the oblique-manifold kernels fail before any work, naming the argument. */
class ObliqueValidationTest {
    private static WorkPool pool;
    private static Oblique oblique;

    @BeforeAll
    static void setUp() {
        pool = WorkPool.create(2);
        oblique = Oblique.normalising(pool);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    private static void assertRejected(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void shapesMustMatch() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = FloatMatrix.allocate(arena, 3, 5), u = FloatMatrix.allocate(arena, 3, 4);
            assertRejected("u is 3 x 4 but x is 3 x 5", () -> oblique.proj(x, u, x));
            assertRejected("out is 2 x 5 but x is 3 x 5", () -> oblique.retr(x, x, 1, FloatMatrix.allocate(arena, 2, 5)));
            assertRejected("v is 3 x 4 but y is 3 x 5", () -> oblique.transp(x, x, u, x));
            assertRejected("x is 3 x 0, but rows on a sphere need at least one column",
                    () -> oblique.projx(FloatMatrix.allocate(arena, 3, 0), FloatMatrix.allocate(arena, 3, 0)));
            assertRejected("distances out must hold 3 values in one contiguous row or column, is FloatMatrix[3 x 2]",
                    () -> oblique.dist(x, x, FloatMatrix.allocate(arena, 3, 2)));
        }
    }

    @Test
    void outputsAreInPlaceOrApart() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix big = FloatMatrix.allocate(arena, 4, 5);
            FloatMatrix x = big.rows(0, 3), shifted = big.rows(1, 4);
            assertRejected("out partly overlaps x; pass the same matrix to work in place, or memory of its own",
                    () -> oblique.projx(x, shifted));
            assertRejected("out partly overlaps u; pass the same matrix to work in place, or memory of its own",
                    () -> oblique.proj(FloatMatrix.allocate(arena, 3, 5), x, shifted));
            FloatMatrix dist = FloatMatrix.allocate(arena, 3, 1);
            assertRejected("distances out overlaps y; it needs memory of its own",
                    () -> oblique.dist(FloatMatrix.allocate(arena, 3, 1), FloatMatrix.wrap(dist.segment(), 3, 1, 1), dist));
        }
    }

    @Test
    void stepsAndTolerancesMustBeFinite() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = FloatMatrix.allocate(arena, 3, 5);
            assertRejected("step t must be finite, got NaN", () -> oblique.retr(x, x, Double.NaN, x));
            assertRejected("step t must be finite, got Infinity", () -> oblique.expmap(x, x, Double.POSITIVE_INFINITY, x));
            assertRejected("tolerance must be finite and >= 0, got -1.0", () -> oblique.check(x, -1));
        }
    }

    @Test
    void confinedMemoryIsRejectedOnAPoolOfSeveralThreads() {
        try (Arena confined = Arena.ofConfined()) {
            FloatMatrix x = FloatMatrix.allocate(confined, 3, 5);
            assertRejected("x lives in a confined arena, which the other threads of a 2-thread pool cannot read;"
                    + " allocate it in Arena.ofShared(), ofAuto() or global()", () -> oblique.proj(x, x, x));
            try (WorkPool single = WorkPool.create(1)) {
                Oblique.normalising(single).proj(x, x, x); // one thread: the caller's own arena is fine
            }
        }
    }
}
