package dev.gnc.ufm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.metrics.OneVsRestDistance;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The search against the softmax codes DESIGN.md knows in closed form. With the default schedule,
 * 32 restarts of every case below each ended within 1.6e-6 of the optimum, all but one within
 * 3e-7 (measured while choosing the schedule; docs/CODES.md), so two restarts and a tolerance of
 * 1e-6 leave room for another GEMM backend's rounding while catching a search that stalls at the
 * line search's noise floor (1e-5 to 1e-4 short) or in another configuration.
 */
class CodeSearchTest {
    private static final double TOLERANCE = 1e-6;
    private static WorkPool pool;

    @BeforeAll
    static void start() {
        pool = WorkPool.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    private static CodeSearchResult search(int classes, int dim, int restarts, long seed, WorkPool on, Arena arena) {
        return CodeSearch.builder(classes, dim, on).restarts(restarts).seed(seed).build().search(arena).orElseThrow();
    }

    /** Finds the code to {@link #TOLERANCE}, certified, and never claims more than the optimum. */
    private static void assertFinds(int classes, int dim, double optimum) {
        try (Arena arena = Arena.ofShared()) {
            CodeSearchResult r = search(classes, dim, 2, 1, pool, arena);
            String what = "K = " + classes + ", d = " + dim + ": margin " + r.margin() + ", optimum " + optimum;
            assertEquals(optimum, r.margin(), TOLERANCE, what);
            // above the optimum only by the float32 rows' distance from unit norm (4e-9 measured for the simplex)
            assertTrue(r.margin() <= optimum + 1e-7, what);
            assertTrue(r.distances().certificateGap() < 1e-9, what);
            assertEquals(classes, r.code().rows());
            assertEquals(dim, r.code().cols());
        }
    }

    @Test
    void findsRegularPolygonsInThePlane() {
        for (int k : new int[] {5, 7, 12}) {
            assertFinds(k, 2, 1 - Math.cos(2 * Math.PI / k));
        }
    }

    @Test
    void findsTheSimplexForKEqualToDPlusOne() {
        for (int d : new int[] {3, 8}) {
            assertFinds(d + 1, d, (d + 1.0) / d);
        }
    }

    @Test
    void findsTheCrossPolytopeForKEqualToTwoD() {
        for (int d : new int[] {3, 4, 8}) {
            assertFinds(2 * d, d, 1);
        }
    }

    /** The result is the best restart, its margins recomputed from the code agree, and every row is a unit vector. */
    @Test
    void keepsTheBestRestartWithItsCertifiedMargin() {
        try (Arena arena = Arena.ofShared()) {
            CodeSearchResult r = CodeSearch.builder(10, 3, pool).restarts(3).seed(7).stepsPerStage(50)
                    .sharpness().build().search(arena).orElseThrow();
            assertEquals(3, r.restarts());
            for (double m : r.margins()) {
                assertTrue(m <= r.margin(), m + " beats the kept " + r.margin());
            }
            assertEquals(r.margins()[r.bestRestart()], r.margin());
            assertEquals(r.margin(), OneVsRestDistance.builder(pool).build().compute(r.code()).min());
            for (int k = 0; k < 10; k++) {
                double sq = 0;
                for (int c = 0; c < 3; c++) {
                    sq += (double) r.code().get(k, c) * r.code().get(k, c);
                }
                assertEquals(1, Math.sqrt(sq), 1e-6);
            }
        }
    }

    /** Same seed: the same code to the bit, twice on two threads and on one or three (each restart on one thread). */
    @Test
    void repeatsBitwiseForASeed() {
        List<float[]> codes = new ArrayList<>();
        List<double[]> margins = new ArrayList<>();
        for (int threads : new int[] {2, 2, 1, 3}) {
            try (Arena arena = Arena.ofShared(); WorkPool p = WorkPool.create(threads)) {
                CodeSearchResult r = CodeSearch.builder(9, 3, p).restarts(3).seed(11).stepsPerStage(60)
                        .build().search(arena).orElseThrow();
                codes.add(r.code().toArray());
                margins.add(r.margins());
            }
        }
        for (int i = 1; i < codes.size(); i++) {
            assertArrayEquals(codes.get(0), codes.get(i), "run " + i);
            assertArrayEquals(margins.get(0), margins.get(i), "run " + i);
        }
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix other = CodeSearch.builder(9, 3, pool).restarts(3).seed(12).stepsPerStage(60).build()
                    .search(arena).orElseThrow().code();
            assertTrue(!Arrays.equals(codes.get(0), other.toArray()), "another seed, another code");
        }
    }

    /**
     * Checkpoints held in memory, copied out of the live views as a file store would: each
     * restart's last offer marked final.
     */
    private static final class HeldCheckpoints implements CodeCheckpoints {
        final Arena arena;
        final Map<Integer, CodeRestartState> held = new ConcurrentHashMap<>();
        final AtomicInteger written = new AtomicInteger();

        HeldCheckpoints(Arena arena) {
            this.arena = arena;
        }

        private FloatMatrix copy(FloatMatrix m, Arena into) {
            FloatMatrix c = FloatMatrix.allocate(into, m.rows(), m.cols());
            c.copyFrom(m);
            return c;
        }

        @Override
        public CodeRestartState load(int restart, Arena into) {
            CodeRestartState s = held.get(restart);
            return s == null ? null : copy(s, into);
        }

        @Override
        public void offer(CodeRestartState s, boolean last) {
            if (last) {
                held.put(s.restart(), copy(s, arena));
                written.incrementAndGet();
            }
        }

        private CodeRestartState copy(CodeRestartState s, Arena into) {
            return new CodeRestartState(s.restart(), s.stage(), s.stageSteps(), s.tau(), s.lastStep(),
                    s.trialStep(), s.previousSquaredNorm(), s.done(), copy(s.code(), into),
                    s.lineSearchState().stream().map(m -> copy(m, into)).toList());
        }
    }

    /**
     * A search stopped after some steps and continued from its checkpoints, once or several
     * times, ends with the uninterrupted search's code and margins to the bit: stops in the first
     * stage, in a later one, and with restarts not yet begun (3 restarts on 2 threads).
     */
    @Test
    void aStoppedSearchContinuesToTheSameBits() {
        try (Arena arena = Arena.ofShared()) {
            CodeSearchResult whole = CodeSearch.builder(9, 3, pool).restarts(3).seed(11).stepsPerStage(60).build()
                    .search(arena).orElseThrow();
            for (long[] stops : new long[][] {{7}, {70, 150}, {1, 2, 130, 400}}) {
                HeldCheckpoints held = new HeldCheckpoints(arena);
                Optional<CodeSearchResult> result = Optional.empty();
                for (int leg = 0; leg <= stops.length && result.isEmpty(); leg++) {
                    AtomicLong steps = new AtomicLong();
                    long stopAt = leg < stops.length ? stops[leg] : Long.MAX_VALUE;
                    result = CodeSearch.builder(9, 3, pool).restarts(3).seed(11).stepsPerStage(60)
                            .checkpoints(held).progress(steps::addAndGet).stop(() -> steps.get() >= stopAt).build()
                            .search(arena);
                    assertEquals(leg == stops.length, result.isPresent(), "leg " + leg + " of " + Arrays.toString(stops));
                }
                String what = "stopped at " + Arrays.toString(stops);
                assertTrue(held.written.get() >= stops.length, what);
                assertArrayEquals(whole.code().toArray(), result.orElseThrow().code().toArray(), what);
                assertArrayEquals(whole.margins(), result.orElseThrow().margins(), what);
            }
        }
    }

    /** A checkpoint of another shape than the search's is refused with the restart named. */
    @Test
    void aCheckpointOfAnotherShapeIsRefused() {
        try (Arena arena = Arena.ofShared()) {
            HeldCheckpoints held = new HeldCheckpoints(arena);
            AtomicLong steps = new AtomicLong();
            CodeSearch.builder(9, 3, pool).restarts(1).checkpoints(held).progress(steps::addAndGet)
                    .stop(() -> steps.get() >= 5).build().search(arena);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CodeSearch.builder(9, 4, pool).restarts(1).checkpoints(held).build().search(arena));
            assertEquals("the checkpoint of restart 0 holds a 9 x 3 code, this search is 9 x 4", e.getMessage());
        }
    }

    /**
     * The progress is told every step of every stage, a stage that ends early counted whole, so
     * it ends at the total it announced.
     */
    @Test
    void progressCountsEveryStepAndEndsAtTheTotal() {
        try (Arena arena = Arena.ofShared()) {
            AtomicLong told = new AtomicLong();
            CodeSearch.Builder search = CodeSearch.builder(6, 3, pool).restarts(3).stepsPerStage(500)
                    .progress(told::addAndGet);
            assertEquals(3 * 4 * 500, search.totalSteps());
            search.build().search(arena).orElseThrow();
            assertEquals(search.totalSteps(), told.get());
        }
    }

    /** From {@link CodeSearch#LARGE} classes the default is one restart of three 60-step stages. */
    @Test
    void largeCodesDefaultToOneShortRestart() {
        assertEquals(8 * 4 * 2000, CodeSearch.builder(CodeSearch.LARGE - 1, 16, pool).totalSteps());
        assertEquals(3 * 60, CodeSearch.builder(CodeSearch.LARGE, 16, pool).totalSteps());
        assertTrue(CodeSearch.builder(CodeSearch.LARGE, 16, pool).build().toString()
                .contains("1 restarts from seed 1, tau 10.0 then sharpness [10.0, 30.0], at most 60"));
    }

    @Test
    void restartSeedsStartFromTheSeedAndStayApart() {
        assertEquals(5, CodeSearch.restartSeed(5, 0));
        assertEquals(5 + 0x9E3779B97F4A7C15L, CodeSearch.restartSeed(5, 1));
    }

    @Test
    void badSettingsNameTheValue() {
        String[] messages = {
            assertThrows(IllegalArgumentException.class, () -> CodeSearch.builder(1, 3, pool)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> CodeSearch.builder(4, 0, pool)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> CodeSearch.builder(4, 3, pool).restarts(0)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> CodeSearch.builder(4, 3, pool).initialTau(0)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> CodeSearch.builder(4, 3, pool).sharpness(10, Double.NaN))
                    .getMessage(),
            assertThrows(IllegalArgumentException.class, () -> CodeSearch.builder(4, 3, pool).stepsPerStage(0))
                    .getMessage(),
        };
        try (Arena confined = Arena.ofConfined()) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> CodeSearch.builder(4, 3, pool).restarts(1).build().search(confined)).getMessage();
            assertTrue(message.contains("the search's arena"), message);
        }
        assertArrayEquals(new String[] {
            "a code needs at least 2 classes, got 1", "a code needs a dimension of at least 1, got 0",
            "restarts must be >= 1, got 0", "tau must be finite and > 0, got 0.0",
            "sharpness must be finite and > 0, got NaN", "steps per stage must be >= 1, got 0",
        }, messages);
    }
}
