package dev.gnc.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each binding against values worked out by hand, so a wrong descriptor or argument order fails. */
class OpenBlasBindingsTest {
    private static OpenBlas blas;

    @BeforeAll
    static void load() {
        blas = OpenBlasLoader.fromEnvironment().load().orElseThrow();
        blas.openblas_set_num_threads(1);
    }

    private static MemorySegment floats(Arena arena, float... values) {
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
    }

    private static float[] floats(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    @Test
    void threadCountRoundTrips() {
        blas.openblas_set_num_threads(1);
        assertEquals(1, blas.openblas_get_num_threads());
    }

    @Test
    void levelOne() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = floats(arena, 1, 2, 3, 4);
            MemorySegment y = floats(arena, 10, 20, 30, 40);
            assertEquals(300f, blas.cblas_sdot(4, x, 1, y, 1));
            assertEquals(1 * 10 + 3 * 30, blas.cblas_sdot(2, x, 2, y, 2)); // strides
            assertEquals((float) Math.sqrt(30), blas.cblas_snrm2(4, x, 1), 1e-6f);
            blas.cblas_saxpy(4, 2f, x, 1, y, 1);
            assertArrayEquals(new float[] {12, 24, 36, 48}, floats(y));
            blas.cblas_sscal(4, 0.5f, x, 1);
            assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, floats(x));
        }
    }

    @Test
    void sgemvAndSgemmRowMajorWithTranspose() {
        try (Arena arena = Arena.ofConfined()) {
            // A = [[1, 2, 3], [4, 5, 6]] (2 x 3), row-major
            MemorySegment a = floats(arena, 1, 2, 3, 4, 5, 6);
            MemorySegment x = floats(arena, 1, 0, -1);
            MemorySegment y = floats(arena, 100, 100);
            blas.cblas_sgemv(OpenBlas.CblasRowMajor, OpenBlas.CblasNoTrans, 2, 3, 1f, a, 3, x, 1, 1f, y, 1);
            assertArrayEquals(new float[] {98, 98}, floats(y));

            // C = 2 * A * A^T + C0, C0 = I
            MemorySegment c = floats(arena, 1, 0, 0, 1);
            blas.cblas_sgemm(OpenBlas.CblasRowMajor, OpenBlas.CblasNoTrans, OpenBlas.CblasTrans, 2, 2, 3, 2f, a, 3,
                    a, 3, 1f, c, 2);
            assertArrayEquals(new float[] {29, 64, 64, 155}, floats(c));
        }
    }

    @Test
    void dgemmColumnMajor() {
        try (Arena arena = Arena.ofConfined()) {
            // column-major A = [[1, 3], [2, 4]], B = I: C = A
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1, 2, 3, 4);
            MemorySegment b = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1, 0, 0, 1);
            MemorySegment c = arena.allocate(ValueLayout.JAVA_DOUBLE, 4);
            blas.cblas_dgemm(OpenBlas.CblasColMajor, OpenBlas.CblasNoTrans, OpenBlas.CblasNoTrans, 2, 2, 2, 3.0, a, 2,
                    b, 2, 0.0, c, 2);
            assertArrayEquals(new double[] {3, 6, 9, 12}, c.toArray(ValueLayout.JAVA_DOUBLE));
        }
    }

    @Test
    void symmetricEigendecomposition() {
        org.junit.jupiter.api.Assertions.assertTrue(blas.hasLapacke(), "the bundled build exports LAPACKE");
        try (Arena arena = Arena.ofConfined()) {
            // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, -1)/sqrt2 and (1, 1)/sqrt2
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 2, 1, 1, 2);
            MemorySegment w = arena.allocate(ValueLayout.JAVA_DOUBLE, 2);
            assertEquals(0, blas.LAPACKE_dsyevd(OpenBlas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', 2, a, 2, w));
            assertArrayEquals(new double[] {1, 3}, w.toArray(ValueLayout.JAVA_DOUBLE), 1e-12);
            double[] v = a.toArray(ValueLayout.JAVA_DOUBLE); // row-major; eigenvectors are columns
            assertEquals(0, v[0] + v[2], 1e-12);
            assertEquals(0, v[1] - v[3], 1e-12);

            MemorySegment s = floats(arena, 4, 0, 0, 0, 9, 0, 0, 0, 1);
            MemorySegment ws = arena.allocate(ValueLayout.JAVA_FLOAT, 3);
            assertEquals(0, blas.LAPACKE_ssyevd(OpenBlas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'L', 3, s, 3, ws));
            assertArrayEquals(new float[] {1, 4, 9}, floats(ws), 1e-6f);
        }
    }
}
