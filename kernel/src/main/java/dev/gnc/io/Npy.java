package dev.gnc.io;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Reads and writes NumPy {@code .npy} files, so arrays move between gnc, NumPy and PyTorch.
 *
 * <p><b>What is read.</b> Format versions 1.0, 2.0 and 3.0; C order (or Fortran order where the
 * two coincide, with at most one axis longer than 1); little-endian data. Matrices and vectors come
 * from {@code '<f4'} or {@code '<f8'} (float64 is rounded to float32); labels from {@code '<i4'},
 * {@code '<i8'}, {@code '<i2'}, {@code '<u2'}, {@code '|i1'} or {@code '|u1'}. Bytes after the
 * data are ignored, as NumPy does. Data streams from the file into memory allocated in the
 * caller's arena, without a heap copy; if a read fails part way, that memory stays allocated
 * until the arena closes.
 *
 * <p><b>What is written.</b> Exactly the bytes {@code np.save} writes for the same array:
 * version 1.0 (2.0 only if the header would not fit), the data starting at a 64-byte boundary,
 * matrices as {@code '<f4'} with shape {@code (rows, cols)}, vectors as {@code '<f4'} with shape
 * {@code (n,)}, labels as {@code '<i4'} with shape {@code (n,)}. Each write goes to a temporary
 * file in the target's directory, is flushed to disk, and is then renamed over the target
 * atomically; a failed write removes the temporary file and leaves any existing target as it was.
 *
 * <p><b>Errors.</b> Anything wrong with a file's contents throws {@link NpyException}, an
 * {@link IOException} whose message is the path, a colon, and the problem, for example
 * {@code W.npy: dtype '>f4' is big-endian; gnc reads little-endian float32/float64 ('<f4', '<f8')}.
 * That covers a file that is not .npy, a garbled header, an unsupported dtype, Fortran order, a
 * shape other than the one asked for, data shorter than the header promises, and values the target
 * type cannot hold (a finite float64 beyond float32's range, an int64 outside int32), which name
 * the element. Failures of the file system propagate as the usual {@link IOException}s
 * ({@code NoSuchFileException}, {@code AccessDeniedException}, ...). Invalid arguments, such as a
 * negative expected length, throw {@link IllegalArgumentException}.
 */
public final class Npy {
    private Npy() {
    }

    /** The header of {@code file}, whatever its dtype, for describing a file without reading its data. */
    public static NpyHeader readHeader(Path file) throws IOException {
        return NpyReader.readHeader(file);
    }

    /** The 2-D array in {@code file} as a {@code rows x cols} float32 matrix allocated in {@code arena}. */
    public static FloatMatrix readMatrix(Path file, Arena arena) throws IOException {
        return NpyReader.readMatrix(file, arena, -1);
    }

    /**
     * The 2-D array in {@code file} as a {@code rows x expectedCols} float32 matrix allocated in
     * {@code arena}; a file with another number of columns is an {@link NpyException}.
     */
    public static FloatMatrix readMatrix(Path file, Arena arena, int expectedCols) throws IOException {
        requireNonNegative(expectedCols, "expected column count");
        return NpyReader.readMatrix(file, arena, expectedCols);
    }

    /**
     * The 1-D array in {@code file}, of length n, as an {@code n x 1} float32 matrix (one row per
     * entry, like a bias with one row per class) allocated in {@code arena}.
     */
    public static FloatMatrix readVector(Path file, Arena arena) throws IOException {
        return NpyReader.readVector(file, arena, -1);
    }

    /** As {@link #readVector(Path, Arena)}; a length other than {@code expectedLength} is an {@link NpyException}. */
    public static FloatMatrix readVector(Path file, Arena arena, long expectedLength) throws IOException {
        requireNonNegative(expectedLength, "expected length");
        return NpyReader.readVector(file, arena, expectedLength);
    }

    /** The 1-D integer array in {@code file} as labels allocated in {@code arena}. */
    public static Labels readLabels(Path file, Arena arena) throws IOException {
        return NpyReader.readLabels(file, arena, -1);
    }

    /** As {@link #readLabels(Path, Arena)}; a length other than {@code expectedLength} is an {@link NpyException}. */
    public static Labels readLabels(Path file, Arena arena, long expectedLength) throws IOException {
        requireNonNegative(expectedLength, "expected length");
        return NpyReader.readLabels(file, arena, expectedLength);
    }

    /** Writes {@code matrix} to {@code file} as a {@code '<f4'} array of shape {@code (rows, cols)}, atomically. */
    public static void write(Path file, FloatMatrix matrix) throws IOException {
        NpyWriter.write(file, matrix);
    }

    /**
     * Writes {@code vector}, a matrix with one column or one row, to {@code file} as a
     * {@code '<f4'} array of shape {@code (n,)}, atomically.
     *
     * @throws IllegalArgumentException if {@code vector} has more than one column and more than one row
     */
    public static void writeVector(Path file, FloatMatrix vector) throws IOException {
        NpyWriter.writeVector(file, vector);
    }

    /** Writes {@code values} to {@code file} as a {@code '<f8'} array of shape {@code (n,)}, atomically. */
    public static void write(Path file, double[] values) throws IOException {
        NpyWriter.write(file, values);
    }

    /** Writes {@code labels} to {@code file} as an {@code '<i4'} array of shape {@code (n,)}, atomically. */
    public static void write(Path file, Labels labels) throws IOException {
        NpyWriter.write(file, labels);
    }

    private static void requireNonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be non-negative, got " + value);
        }
    }
}
