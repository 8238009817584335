package dev.gnc.io;

import dev.gnc.kernel.FloatMatrix;
import dev.gnc.kernel.Labels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes .npy files atomically: the whole file goes to a temporary file beside the target, is
 * flushed to disk, then renamed over the target. Readers see the old file or the new one, never
 * a partial one, and a failed write deletes its temporary file and leaves the target untouched.
 * Data streams through one small off-heap buffer, which also gathers rows of strided matrices.
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
        Path temp = target.toAbsolutePath().resolveSibling(
                "." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        // CREATE_NEW: never clobber a file we did not make, so cleanup below only ever deletes our own
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (channel) {
                writeFully(channel, ByteBuffer.wrap(header));
                writeData(channel, type, count, source);
                channel.force(false);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void writeData(FileChannel channel, Dtype type, long count, Source source) throws IOException {
        int perChunk = CHUNK_BYTES / type.bytes;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buffer = scratch.allocate(CHUNK_BYTES, FloatMatrix.ALIGNMENT);
            for (long first = 0; first < count; first += perChunk) {
                int n = (int) Math.min(perChunk, count - first);
                source.copy(first, n, buffer);
                writeFully(channel, buffer.asSlice(0, (long) n * type.bytes).asByteBuffer());
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
