package dev.gnc.io;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads .npy data into off-heap float32 matrices and int32 labels. The data streams through one
 * small off-heap buffer and is converted chunk by chunk, so no heap array ever holds it and a
 * float64 file never needs twice its size in memory.
 */
final class NpyReader {
    /** Bytes read per call: large enough to amortise the system call, small enough to stay in cache. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** Takes {@code n} elements from element {@code first} on; returns the index of one that does not fit, or -1. */
    private interface Sink {
        long accept(MemorySegment chunk, long first, int n);
    }

    private final Path file;
    private final FileChannel channel;
    private final NpyHeader header;
    private final long[] shape;

    private NpyReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.header = HeaderCodec.read(channel, file);
        this.shape = header.shape();
    }

    static NpyHeader readHeader(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            return HeaderCodec.read(channel, file);
        }
    }

    /** Opens {@code file}; a directory fails here, naming its path, not later with a bare "Is a directory". */
    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory, not a .npy file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** A 2-D float array as a {@code rows x cols} matrix; {@code expectedCols < 0} accepts any width. */
    static FloatMatrix readMatrix(Path file, Arena arena, int expectedCols) throws IOException {
        try (FileChannel channel = open(file)) {
            NpyReader reader = new NpyReader(file, channel);
            Dtype type = reader.dtype(true);
            reader.requireRank(2, "a matrix needs 2-D (rows, cols)"
                    + (reader.shape.length == 1 ? "; read 1-D arrays with Npy.readVector" : ""));
            long cols = reader.shape[1];
            if (cols > Integer.MAX_VALUE) {
                throw reader.error("shape " + reader.shapeString() + " has more than 2^31 - 1 columns");
            }
            if (expectedCols >= 0 && cols != expectedCols) {
                throw reader.error("shape " + reader.shapeString() + " has " + cols + " columns, expected "
                        + expectedCols);
            }
            reader.checkLayoutAndLength(type);
            FloatMatrix matrix = FloatMatrix.allocate(arena, reader.shape[0], (int) cols);
            reader.stream(type, "overflows float32",
                    (chunk, first, n) -> type.toFloat32(chunk, n, matrix.segment(), first));
            return matrix;
        }
    }

    /** A 1-D float array of length n as an {@code n x 1} matrix; {@code expectedLength < 0} accepts any length. */
    static FloatMatrix readVector(Path file, Arena arena, long expectedLength) throws IOException {
        try (FileChannel channel = open(file)) {
            NpyReader reader = new NpyReader(file, channel);
            Dtype type = reader.dtype(true);
            reader.requireVector(expectedLength);
            reader.checkLayoutAndLength(type);
            FloatMatrix vector = FloatMatrix.allocate(arena, reader.shape[0], 1);
            reader.stream(type, "overflows float32",
                    (chunk, first, n) -> type.toFloat32(chunk, n, vector.segment(), first));
            return vector;
        }
    }

    /** A 1-D integer array as labels; {@code expectedLength < 0} accepts any length. */
    static Labels readLabels(Path file, Arena arena, long expectedLength) throws IOException {
        try (FileChannel channel = open(file)) {
            NpyReader reader = new NpyReader(file, channel);
            Dtype type = reader.dtype(false);
            reader.requireVector(expectedLength);
            reader.checkLayoutAndLength(type);
            Labels labels = Labels.allocate(arena, reader.shape[0]);
            reader.stream(type, "is outside int32",
                    (chunk, first, n) -> type.toInt32(chunk, n, labels.segment(), first));
            return labels;
        }
    }

    /** The element type, if it is one gnc reads as floats ({@code floats}) or as integers. */
    private Dtype dtype(boolean floats) throws NpyException {
        String descr = header.dtype();
        Dtype type = Dtype.of(descr);
        if (type != null && type.isFloat() == floats) {
            return type;
        }
        String problem;
        if (type != null) {
            problem = floats ? "is an integer type" : "is a float type";
        } else if (descr.startsWith(">") && Dtype.of("<" + descr.substring(1)) != null) {
            problem = "is big-endian";
        } else {
            problem = "is not supported";
        }
        throw error("dtype '" + descr + "' " + problem + "; gnc reads " + (floats
                ? "little-endian float32/float64 (" + Dtype.descriptors(true) + ")"
                : "labels as little-endian integers (" + Dtype.descriptors(false) + ")"));
    }

    private void requireRank(int rank, String why) throws NpyException {
        if (shape.length != rank) {
            throw error("shape " + shapeString() + " is " + shape.length + "-D; " + why);
        }
    }

    private void requireVector(long expectedLength) throws NpyException {
        requireRank(1, "expected a 1-D array (n,)");
        if (expectedLength >= 0 && shape[0] != expectedLength) {
            throw error("shape " + shapeString() + " has length " + shape[0] + ", expected " + expectedLength);
        }
    }

    private void checkLayoutAndLength(Dtype type) throws IOException {
        int longAxes = 0;
        for (long dim : shape) {
            longAxes += dim > 1 ? 1 : 0;
        }
        // with at most one axis longer than 1, Fortran and C order store the same bytes
        if (header.fortranOrder() && longAxes > 1) {
            throw error("array " + shapeString() + " is stored in Fortran (column-major) order; gnc reads C order"
                    + " (save np.ascontiguousarray(a) instead)");
        }
        long needed;
        try {
            needed = Math.multiplyExact(header.elementCount(), type.bytes);
        } catch (ArithmeticException e) {
            throw error("shape " + shapeString() + " of '" + type.descr + "' needs more than 2^63 - 1 bytes");
        }
        long available = channel.size() - header.dataOffset();
        if (available < needed) {
            throw truncated(needed, available);
        }
    }

    /** Reads the data chunk by chunk into {@code sink}; {@code overflow} says why a value it rejects does not fit. */
    private void stream(Dtype type, String overflow, Sink sink) throws IOException {
        long count = header.elementCount();
        if (count == 0) {
            return;
        }
        int perChunk = CHUNK_BYTES / type.bytes;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buffer = scratch.allocate(CHUNK_BYTES, FloatMatrix.ALIGNMENT);
            for (long first = 0; first < count; first += perChunk) {
                int n = (int) Math.min(perChunk, count - first);
                long position = header.dataOffset() + first * type.bytes;
                ByteBuffer bytes = buffer.asSlice(0, (long) n * type.bytes).asByteBuffer();
                while (bytes.hasRemaining()) {
                    if (channel.read(bytes, position + bytes.position()) < 0) {
                        // the file shrank after checkLayoutAndLength measured it
                        throw truncated(count * type.bytes, position + bytes.position() - header.dataOffset());
                    }
                }
                long bad = sink.accept(buffer, first, n);
                if (bad >= 0) {
                    throw error("element " + position(first + bad) + " = " + type.valueAt(buffer, bad) + " "
                            + overflow);
                }
            }
        }
    }

    /** Flat index {@code k} as a matrix position {@code (i, j)} for 2-D arrays, else as it is. */
    private String position(long k) {
        return shape.length == 2 ? "(" + k / shape[1] + ", " + k % shape[1] + ")" : Long.toString(k);
    }

    private String shapeString() {
        return NpyHeader.shapeString(shape);
    }

    private NpyException truncated(long needed, long available) {
        return error("truncated: shape " + shapeString() + " of '" + header.dtype() + "' needs " + needed
                + " data bytes, the file has " + available + " after its " + header.dataOffset() + "-byte header");
    }

    private NpyException error(String problem) {
        return new NpyException(file, problem);
    }
}
