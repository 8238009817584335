package dev.gnc.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.sphere.Oblique;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad options and arguments to the optimisers fail before any work, naming the value. */
class RiemannianValidationTest {
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
    void optionsAreChecked() {
        assertRejected("momentum must be in [0, 1), got 1.0", () -> RiemannianSgd.builder(oblique).momentum(1));
        assertRejected("stabilize must be >= 0 steps (0 for never), got -1",
                () -> RiemannianSgd.builder(oblique).stabilize(-1));
        assertRejected("betas must be in [0, 1), got (0.9, NaN)", () -> RiemannianAdam.builder(oblique).betas(0.9,
                Double.NaN));
        assertRejected("eps must be finite and > 0, got 0.0", () -> RiemannianAdam.builder(oblique).eps(0));
        try (Arena arena = Arena.ofShared()) {
            assertRejected("Nesterov momentum needs a momentum > 0",
                    () -> RiemannianSgd.builder(oblique).nesterov(true).build(arena, 3, 2));
            assertRejected("an optimiser needs rows >= 0 and cols >= 1, got 3 x 0",
                    () -> RiemannianAdam.builder(oblique).build(arena, 3, 0));
        }
    }

    @Test
    void stateMustLiveWhereThePoolCanReachIt() {
        try (Arena confined = Arena.ofConfined()) {
            assertRejected("the first moment lives in a confined arena, which the other threads of a 2-thread pool"
                    + " cannot read; allocate it in Arena.ofShared(), ofAuto() or global()",
                    () -> RiemannianAdam.builder(oblique).build(confined, 3, 2));
        }
    }

    @Test
    void stepArgumentsAreChecked() {
        try (Arena arena = Arena.ofShared()) {
            RiemannianOptimiser sgd = RiemannianSgd.builder(oblique).momentum(0.5).build(arena, 4, 3);
            FloatMatrix x = FloatMatrix.allocate(arena, 4, 3);
            assertRejected("x is 4 x 2 but this optimiser holds state for 4 x 3",
                    () -> sgd.step(FloatMatrix.allocate(arena, 4, 2), FloatMatrix.allocate(arena, 4, 2), 1));
            assertRejected("the Euclidean gradient is 5 x 3 but x is 4 x 3",
                    () -> sgd.step(x, FloatMatrix.allocate(arena, 5, 3), 1));
            assertRejected("x overlaps the Euclidean gradient; it needs memory of its own", () -> sgd.step(x, x, 1));
            assertRejected("learning rate must be finite and >= 0, got -0.1",
                    () -> sgd.step(x, FloatMatrix.allocate(arena, 4, 3), -0.1));
            assertRejected("learning rate must be finite and >= 0, got NaN",
                    () -> sgd.step(x, FloatMatrix.allocate(arena, 4, 3), Double.NaN));
            assertEquals(0, sgd.steps(), "a rejected step is not a step");
        }
    }
}
