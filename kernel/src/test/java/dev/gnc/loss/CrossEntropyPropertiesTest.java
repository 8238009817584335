package dev.gnc.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Properties of the fused cross-entropy beyond agreement with the reference. */
class CrossEntropyPropertiesTest {
    private static WorkPool pool;

    @BeforeAll
    static void setUp() {
        pool = WorkPool.create(2);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    @Test
    void confidentPredictionsKeepTheirRelativeAccuracy() {
        // cross-polytope classifier {+e_i, -e_i}, features on their class: logits tau, 0 (2d - 2 times), -tau,
        // all exact in float32, so loss = log1p((K - 2) e^-tau + e^-2tau) ~ 2.7e-21 at tau = 50
        int d = 8, k = 2 * d;
        double tau = 50;
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = FloatMatrix.allocate(arena, k, d);
            for (int c = 0; c < d; c++) {
                w.set(c, c, 1f);
                w.set(d + c, c, -1f);
            }
            int n = k;
            FloatMatrix h = FloatMatrix.allocate(arena, n, d);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = i;
                h.rows(i, i + 1).copyFrom(w.rows(i, i + 1));
            }
            FloatMatrix dw = FloatMatrix.allocate(arena, k, d), dh = FloatMatrix.allocate(arena, n, d);
            FloatMatrix perSample = FloatMatrix.allocate(arena, n, 1);
            CrossEntropyResult r = CrossEntropy.builder(tau).pool(pool).tile(8, 4).build().forwardBackward(w, null, h,
                    Labels.of(arena, y), CrossEntropyOutputs.create().classifierGradient(dw).featureGradient(dh)
                            .perSampleLoss(perSample));
            double off = (k - 2) * Math.exp(-tau) + Math.exp(-2 * tau);
            double expected = Math.log1p(off);
            assertTrue(expected > 1e-21 && expected < 1e-20, "the case is as confident as intended: " + expected);
            assertEquals(expected, r.loss(), 1e-5 * expected, "loss");
            for (int i = 0; i < n; i++) {
                assertEquals(expected, perSample.get(i, 0), 1e-5 * expected, "loss of sample " + i);
            }
            // dH_i along its own class: tau (p_y - 1) / N, with p_y - 1 = -off / (1 + off)
            double target = -tau * off / (1 + off) / n;
            for (int i = 0; i < n; i++) {
                double along = i < d ? dh.get(i, i) : -dh.get(i, i - d);
                assertEquals(target, along, 1e-5 * Math.abs(target), "target gradient of sample " + i);
            }
        }
    }

    /** Central differences on a small problem with every option on: the gradients are of the loss. */
    @Test
    void gradientsMatchFiniteDifferences() {
        int k = 13, n = 6, d = 4;
        SplittableRandom random = new SplittableRandom(5);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = randomMatrix(arena, k, d, random), h = randomMatrix(arena, n, d, random);
            FloatMatrix b = randomMatrix(arena, k, 1, random), weights = FloatMatrix.allocate(arena, k, 1);
            for (int c = 0; c < k; c++) {
                weights.set(c, 0, (float) random.nextDouble(0.5, 2));
            }
            Labels y = Labels.of(arena, 0, 12, 5, -100, 7, 7);
            CrossEntropy ce = CrossEntropy.builder(3).pool(pool).labelSmoothing(0.1).zLoss(0.01)
                    .classWeights(weights).tile(4, 5).build();
            FloatMatrix dw = FloatMatrix.allocate(arena, k, d), dh = FloatMatrix.allocate(arena, n, d);
            FloatMatrix db = FloatMatrix.allocate(arena, k, 1);
            ce.forwardBackward(w, b, h, y, CrossEntropyOutputs.create().classifierGradient(dw).featureGradient(dh)
                    .biasGradient(db));
            assertFiniteDifferences(w, dw, () -> ce.forward(w, b, h, y, CrossEntropyOutputs.create()).loss(), "dW");
            assertFiniteDifferences(h, dh, () -> ce.forward(w, b, h, y, CrossEntropyOutputs.create()).loss(), "dH");
            assertFiniteDifferences(b, db, () -> ce.forward(w, b, h, y, CrossEntropyOutputs.create()).loss(), "db");
        }
    }

    private static void assertFiniteDifferences(FloatMatrix x, FloatMatrix gradient,
            java.util.function.DoubleSupplier loss, String what) {
        double step = 1e-2;
        for (long i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                float original = x.get(i, j);
                float up = (float) (original + step), down = (float) (original - step);
                x.set(i, j, up);
                double lossUp = loss.getAsDouble();
                x.set(i, j, down);
                double lossDown = loss.getAsDouble();
                x.set(i, j, original);
                double numeric = (lossUp - lossDown) / ((double) up - down);
                assertEquals(numeric, gradient.get(i, j), 2e-4 + 1e-3 * Math.abs(numeric),
                        what + "(" + i + ", " + j + ")");
            }
        }
    }

    private static FloatMatrix randomMatrix(Arena arena, long rows, int cols, SplittableRandom random) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        for (long i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, (float) random.nextDouble(-1, 1));
            }
        }
        return m;
    }

    @Test
    void accumulateAddsToTheBuffers() {
        SplittableRandom random = new SplittableRandom(8);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = randomMatrix(arena, 50, 6, random), h = randomMatrix(arena, 10, 6, random);
            Labels y = Labels.of(arena, random.ints(10, 0, 50).toArray());
            CrossEntropy ce = CrossEntropy.builder(5).pool(pool).tile(4, 16).build();
            FloatMatrix dw1 = FloatMatrix.allocate(arena, 50, 6), dh1 = FloatMatrix.allocate(arena, 10, 6);
            ce.forwardBackward(w, null, h, y, CrossEntropyOutputs.create().classifierGradient(dw1).featureGradient(dh1));
            FloatMatrix dw2 = FloatMatrix.allocate(arena, 50, 6), dh2 = FloatMatrix.allocate(arena, 10, 6);
            dw2.fill(1f);
            dh2.fill(-1f);
            CrossEntropyOutputs twice = CrossEntropyOutputs.create().classifierGradient(dw2).featureGradient(dh2)
                    .accumulate(true);
            ce.forwardBackward(w, null, h, y, twice);
            ce.forwardBackward(w, null, h, y, twice.upstream(0.5));
            float[] a = dw1.toArray(), b = dw2.toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(1f + 1.5f * a[i], b[i], 1e-6f, "dW element " + i);
            }
            a = dh1.toArray();
            b = dh2.toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(-1f + 1.5f * a[i], b[i], 1e-6f, "dH element " + i);
            }
        }
    }

    @Test
    void workspaceDoesNotGrowWithTheNumberOfClasses() {
        int d = 8, n = 64;
        long[] bytes = new long[2];
        int[] classes = {10_000, 1_000_000};
        for (int run = 0; run < 2; run++) {
            int k = classes[run];
            AtomicLong allocated = new AtomicLong();
            try (Arena arena = Arena.ofShared()) {
                FloatMatrix w = FloatMatrix.allocate(arena, k, d), h = FloatMatrix.allocate(arena, n, d);
                for (int c = 0; c < k; c++) {
                    w.set(c, c % d, 1f);
                }
                for (int i = 0; i < n; i++) {
                    h.set(i, i % d, 1f);
                }
                Labels y = Labels.allocate(arena, n);
                FloatMatrix dw = FloatMatrix.allocate(arena, k, d), dh = FloatMatrix.allocate(arena, n, d);
                CrossEntropyResult r = CrossEntropy.builder(10).pool(pool)
                        .workspace(() -> new CountingArena(Arena.ofShared(), allocated::addAndGet)).build()
                        .forwardBackward(w, null, h, y, CrossEntropyOutputs.create().classifierGradient(dw)
                                .featureGradient(dh));
                assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, "loss " + r.loss());
            }
            bytes[run] = allocated.get();
        }
        // per thread: one 256 x 512 logits tile (twice: forward and backward) and an N x d partial of dH
        long bound = 2L * (2L * 256 * 512 * Float.BYTES + (long) n * d * Float.BYTES);
        assertTrue(bytes[1] <= bound, bytes[1] + " workspace bytes exceed " + bound);
        assertEquals(bytes[0], bytes[1], "workspace at K = 10^6 versus K = 10^4");
    }

    /** An arena that reports every allocation's size. */
    private record CountingArena(Arena arena, LongConsumer sink) implements Arena {
        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            sink.accept(byteSize);
            return arena.allocate(byteSize, byteAlignment);
        }

        @Override
        public MemorySegment.Scope scope() {
            return arena.scope();
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    @Test
    void badInputsAreNamedBeforeAnyWork() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = FloatMatrix.allocate(arena, 10, 4), h = FloatMatrix.allocate(arena, 3, 4);
            Labels y = Labels.of(arena, 0, 9, 3);
            CrossEntropy ce = CrossEntropy.builder(1).pool(pool).build();
            assertMessage("features H are 3 x 5 but classifier W is 10 x 4", () -> ce.forward(w,
                    FloatMatrix.allocate(arena, 3, 5), y));
            assertMessage("2 labels for 3 feature rows", () -> ce.forward(w, h, Labels.of(arena, 1, 2)));
            assertMessage("label y[2] = 10 is outside [0, 10) and is not the ignore index -100",
                    () -> ce.forward(w, h, Labels.of(arena, 0, 1, 10)));
            FloatMatrix nan = FloatMatrix.allocate(arena, 10, 4);
            nan.set(7, 2, Float.NaN);
            assertMessage("classifier W has a non-finite value NaN at (7, 2)", () -> ce.forward(nan, h, y));
            assertMessage("bias b must hold 10 values", () -> ce.forward(w, FloatMatrix.allocate(arena, 9, 1), h, y,
                    CrossEntropyOutputs.create()));
            assertMessage("per-sample upstream gradients need reduction NONE", () -> ce.forwardBackward(w, null, h, y,
                    CrossEntropyOutputs.create().upstream(FloatMatrix.allocate(arena, 3, 1))));
            assertMessage("classifier gradient dW overlaps an input", () -> ce.forwardBackward(w, null, h, y,
                    CrossEntropyOutputs.create().classifierGradient(w)));
            assertMessage("forward() computes no gradients", () -> ce.forward(w, null, h, y,
                    CrossEntropyOutputs.create().featureGradient(FloatMatrix.allocate(arena, 3, 4))));
            assertMessage("tau must be finite, got NaN", () -> CrossEntropy.builder(Double.NaN));
            assertMessage("label smoothing must be in [0, 1], got 1.5", () -> CrossEntropy.builder(1).labelSmoothing(1.5));
            FloatMatrix negative = FloatMatrix.allocate(arena, 10, 1);
            negative.set(4, 0, -1f);
            assertMessage("class weight [4] = -1.0 must be finite and >= 0",
                    () -> CrossEntropy.builder(1).pool(pool).classWeights(negative).build().forward(w, h, y));
        }
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), "expected '" + start + "...', got '" + e.getMessage() + "'");
    }
}
