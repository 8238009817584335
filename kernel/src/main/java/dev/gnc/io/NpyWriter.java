package dev.gnc.io;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes .npy files atomically ({@link AtomicFiles}). Data streams through one small off-heap buffer, which also gathers rows of strided matrices.
 */
final class NpyWriter {
    private static final int CHUNK_BYTES = 1 << 20;

    /** Copies elements {@code [first, first + n)} of the array, little-endian, to the start of {@code chunk}. */
    private interface Source {
        void copy(long first, int n, MemorySegment chunk);
    }

    private NpyWriter() {
    }

    static void write(Path target, FloatMatrix matrix) throws IOException {
        write(target, Dtype.FLOAT32, new long[] {matrix.rows(), matrix.cols()}, floats(matrix));
    }

    /** Writes a matrix with one column or one row as a 1-D array. */
    static void writeVector(Path target, FloatMatrix vector) throws IOException {
        if (vector.cols() != 1 && vector.rows() != 1) {
            throw new IllegalArgumentException("a vector must have one column or one row, got a " + vector.rows()
                    + " x " + vector.cols() + " matrix");
        }
        write(target, Dtype.FLOAT32, new long[] {vector.size()}, floats(vector));
    }

    static void write(Path target, double[] values) throws IOException {
        write(target, Dtype.FLOAT64, new long[] {values.length},
                (first, n, chunk) -> MemorySegment.copy(values, (int) first, chunk, Dtype.LE_DOUBLE, 0, n));
    }

    static void write(Path target, Labels labels) throws IOException {
        write(target, Dtype.INT32, new long[] {labels.length()},
                (first, n, chunk) -> MemorySegment.copy(labels.segment(), Dtype.INT, first * Integer.BYTES, chunk,
                        Dtype.LE_INT, 0, n));
    }

    /** The elements of {@code m} in row-major order, skipping the gaps between rows when {@code ld > cols}. */
    private static Source floats(FloatMatrix m) {
        if (m.isContiguous()) {
            return (first, n, chunk) -> MemorySegment.copy(m.segment(), Dtype.FLOAT, first * Float.BYTES, chunk,
                    Dtype.LE_FLOAT, 0, n);
        }
        return (first, n, chunk) -> {
            for (int done = 0; done < n; ) {
                long i = (first + done) / m.cols();
                int j = (int) ((first + done) % m.cols());
                int run = Math.min(n - done, m.cols() - j);
                MemorySegment.copy(m.segment(), Dtype.FLOAT, m.byteOffset(i, j), chunk, Dtype.LE_FLOAT,
                        (long) done * Float.BYTES, run);
                done += run;
            }
        };
    }

    private static void write(Path target, Dtype type, long[] shape, Source source) throws IOException {
        byte[] header = HeaderCodec.encode(type.descr, shape);
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        AtomicFiles.write(target, channel -> {
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            writeData(channel, type, count, source);
        });
    }

    private static void writeData(FileChannel channel, Dtype type, long count, Source source) throws IOException {
        int perChunk = CHUNK_BYTES / type.bytes;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buffer = scratch.allocate(CHUNK_BYTES, FloatMatrix.ALIGNMENT);
            for (long first = 0; first < count; first += perChunk) {
                int n = (int) Math.min(perChunk, count - first);
                source.copy(first, n, buffer);
                AtomicFiles.writeFully(channel, buffer.asSlice(0, (long) n * type.bytes).asByteBuffer());
            }
        }
    }
}
