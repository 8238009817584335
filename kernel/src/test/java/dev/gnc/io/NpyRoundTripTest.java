package dev.gnc.io;

import static dev.gnc.io.NpyBytes.concat;
import static dev.gnc.io.NpyBytes.doubles;
import static dev.gnc.io.NpyBytes.floats;
import static dev.gnc.io.NpyBytes.header;
import static dev.gnc.io.NpyBytes.ints;
import static dev.gnc.io.NpyBytes.longs;
import static dev.gnc.io.NpyBytes.numpyDict;
import static dev.gnc.io.NpyBytes.numpyHeader;
import static dev.gnc.io.NpyBytes.shorts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyRoundTripTest {
    @TempDir
    Path dir;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    /** Shapes include 1000 x 300, which spans two read/write chunks with a row cut at the boundary. */
    @ParameterizedTest
    @CsvSource({"0, 0", "0, 5", "5, 0", "1, 1", "3, 2", "13, 7", "1000, 300"})
    void matrixRoundTripIsBitExactAndNumpysBytes(long rows, int cols) throws IOException {
        FloatMatrix m = randomMatrix(rows, cols, 17 * rows + cols);
        Path file = dir.resolve("W.npy");
        Npy.write(file, m);

        byte[] expected = concat(numpyHeader(1, numpyDict("<f4", "(" + rows + ", " + cols + ")")), floats(m.toArray()));
        assertArrayEquals(expected, Files.readAllBytes(file));
        FloatMatrix back = Npy.readMatrix(file, arena);
        assertEquals(rows, back.rows());
        assertEquals(cols, back.cols());
        assertArrayEquals(m.toArray(), back.toArray());
        assertEquals(0, back.segment().address() % FloatMatrix.ALIGNMENT);
        assertEquals(cols, Npy.readMatrix(file, arena, cols).cols());
        assertEquals(new NpyHeader("<f4", false, new long[] {rows, cols}, 128), Npy.readHeader(file));
    }

    @Test
    void specialFloatsSurviveBitForBit() throws IOException {
        float[] values = {Float.NaN, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00001)};
        Path file = dir.resolve("special.npy");
        Npy.write(file, FloatMatrix.of(arena, 1, values.length, values));
        float[] back = Npy.readMatrix(file, arena).toArray();
        for (int k = 0; k < values.length; k++) {
            assertEquals(Float.floatToRawIntBits(values[k]), Float.floatToRawIntBits(back[k]), "element " + k);
        }
    }

    @Test
    void stridedViewsWriteOnlyTheirElements() throws IOException {
        FloatMatrix big = randomMatrix(1000, 301, 5);
        FloatMatrix block = big.block(3, 1, 990, 299);
        Path file = dir.resolve("block.npy");
        Npy.write(file, block);
        assertArrayEquals(block.toArray(), Npy.readMatrix(file, arena, 299).toArray());

        FloatMatrix column = big.block(0, 7, 1000, 1);
        Npy.writeVector(file, column);
        assertEquals("(1000,)", NpyHeader.shapeString(Npy.readHeader(file).shape()));
        assertArrayEquals(column.toArray(), Npy.readVector(file, arena, 1000).toArray());
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "5", "300000"})
    void vectorRoundTripFromAColumnOrARow(int n) throws IOException {
        FloatMatrix column = randomMatrix(n, 1, n);
        Path file = dir.resolve("b.npy");
        Npy.writeVector(file, column);
        byte[] expected = concat(numpyHeader(1, numpyDict("<f4", "(" + n + ",)")), floats(column.toArray()));
        assertArrayEquals(expected, Files.readAllBytes(file));

        FloatMatrix back = Npy.readVector(file, arena);
        assertEquals(n, back.rows());
        assertEquals(1, back.cols());
        assertArrayEquals(column.toArray(), back.toArray());

        Npy.writeVector(file, FloatMatrix.wrap(column.segment(), 1, n, n));
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "7", "300000"})
    void labelsRoundTripAndNumpysBytes(int n) throws IOException {
        Random random = new Random(n);
        int[] values = new int[n];
        for (int k = 0; k < n; k++) {
            values[k] = k % 5 == 0 ? -100 : random.nextInt(1_000_000);
        }
        if (n > 1) {
            values[1] = Integer.MIN_VALUE;
            values[n - 1] = Integer.MAX_VALUE;
        }
        Path file = dir.resolve("y.npy");
        Npy.write(file, Labels.of(arena, values));
        assertArrayEquals(concat(numpyHeader(1, numpyDict("<i4", "(" + n + ",)")), ints(values)),
                Files.readAllBytes(file));
        assertArrayEquals(values, Npy.readLabels(file, arena).toArray());
        assertArrayEquals(values, Npy.readLabels(file, arena, n).toArray());
    }

    @Test
    void labelSlicesWriteOnlyTheSlice() throws IOException {
        Labels labels = Labels.of(arena, 0, 1, 2, 3, 4, 5);
        Path file = dir.resolve("y.npy");
        Npy.write(file, labels.slice(2, 5));
        assertArrayEquals(new int[] {2, 3, 4}, Npy.readLabels(file, arena).toArray());
    }

    @Test
    void float64IsRoundedToFloat32() throws IOException {
        double[] values = {0.1, -1e-50, 1e38, -3.4028235e38, Double.NaN, Double.NEGATIVE_INFINITY, 2.5, 1.0 / 3};
        Path file = dir.resolve("W64.npy");
        Files.write(file, concat(numpyHeader(1, numpyDict("<f8", "(2, 4)")), doubles(values)));
        float[] back = Npy.readMatrix(file, arena, 4).toArray();
        for (int k = 0; k < values.length; k++) {
            assertEquals((float) values[k], back[k], "element " + k);
        }
        assertEquals(Float.MAX_VALUE, -back[3], "rounds to the largest float32, not to infinity");
    }

    @Test
    void float64SpanningSeveralChunksConverts() throws IOException {
        int n = 300_000; // 2.3 chunks of float64
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = k * 0.5 - 7;
        }
        Path file = dir.resolve("b64.npy");
        Files.write(file, concat(numpyHeader(1, numpyDict("<f8", "(" + n + ",)")), doubles(values)));
        float[] back = Npy.readVector(file, arena, n).toArray();
        for (int k = 0; k < n; k++) {
            assertEquals((float) values[k], back[k], "element " + k);
        }
    }

    @Test
    void integerLabelTypesWiden() throws IOException {
        int[] expected = {0, 1, 127, -1, -128, 5};
        assertLabels(expected, "|i1", new byte[] {0, 1, 127, -1, -128, 5});
        assertLabels(new int[] {0, 1, 127, 255, 128, 5}, "|u1", new byte[] {0, 1, 127, -1, -128, 5});
        assertLabels(new int[] {0, -1, 32767, -32768, 300, 5}, "<i2", shorts(0, -1, 32767, -32768, 300, 5));
        assertLabels(new int[] {0, 65535, 32767, 32768, 300, 5}, "<u2", shorts(0, -1, 32767, -32768, 300, 5));
        assertLabels(new int[] {0, -100, Integer.MAX_VALUE, Integer.MIN_VALUE, 300, 5}, "<i8",
                longs(0, -100, Integer.MAX_VALUE, Integer.MIN_VALUE, 300, 5));
    }

    @Test
    void int64SpanningSeveralChunksConverts() throws IOException {
        int n = 300_000;
        long[] values = new long[n];
        int[] expected = new int[n];
        for (int k = 0; k < n; k++) {
            values[k] = k % 1000 - 3;
            expected[k] = (int) values[k];
        }
        Path file = dir.resolve("y64.npy");
        Files.write(file, concat(numpyHeader(1, numpyDict("<i8", "(" + n + ",)")), longs(values)));
        assertArrayEquals(expected, Npy.readLabels(file, arena, n).toArray());
    }

    @Test
    void readsVersionTwoAndThreeFiles() throws IOException {
        float[] values = {1, 2, 3, 4, 5, 6};
        for (int major = 2; major <= 3; major++) {
            Path file = dir.resolve("v" + major + ".npy");
            Files.write(file, concat(numpyHeader(major, numpyDict("<f4", "(3, 2)")), floats(values)));
            assertArrayEquals(values, Npy.readMatrix(file, arena, 2).toArray());
        }
    }

    @Test
    void acceptsUnalignedDataTrailingBytesAndFortranOrderWhereItEqualsC() throws IOException {
        Path file = dir.resolve("odd.npy");
        Files.write(file, concat(header(1, "{'descr':'<f4','fortran_order':True,'shape':(3,)}\n"), floats(1, 2, 3),
                new byte[] {9, 9, 9}));
        assertArrayEquals(new float[] {1, 2, 3}, Npy.readVector(file, arena).toArray());

        Files.write(file, concat(numpyHeader(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3), }"),
                floats(1, 2, 3)));
        assertArrayEquals(new float[] {1, 2, 3}, Npy.readMatrix(file, arena).toArray());
    }

    private void assertLabels(int[] expected, String descr, byte[] data) throws IOException {
        Path file = dir.resolve("y" + descr.substring(1) + ".npy");
        Files.write(file, concat(numpyHeader(1, numpyDict(descr, "(" + expected.length + ",)")), data));
        assertArrayEquals(expected, Npy.readLabels(file, arena, expected.length).toArray(), descr);
    }

    private FloatMatrix randomMatrix(long rows, int cols, long seed) {
        Random random = new Random(seed);
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        for (long i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, (float) random.nextGaussian());
            }
        }
        return m;
    }
}
