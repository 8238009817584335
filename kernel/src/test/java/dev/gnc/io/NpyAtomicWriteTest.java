package dev.gnc.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyAtomicWriteTest {
    @TempDir
    Path dir;

    @Test
    void writingOverAnExistingFileReplacesIt() throws IOException {
        Path file = Files.writeString(dir.resolve("W.npy"), "an older, longer file, not even .npy ".repeat(20));
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(file, FloatMatrix.of(arena, 1, 2, new float[] {1, 2}));
            assertArrayEquals(new float[] {1, 2}, Npy.readMatrix(file, arena).toArray());
            assertEquals(128 + 8, Files.size(file));

            Npy.write(file, Labels.of(arena, 4, 5, 6));
            assertArrayEquals(new int[] {4, 5, 6}, Npy.readLabels(file, arena).toArray());
        }
        assertEquals(List.of("W.npy"), names(dir));
    }

    @Test
    void missingDirectoryFailsWithoutLeavingATemporaryFile() throws IOException {
        Path file = dir.resolve("missing").resolve("W.npy");
        try (Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> Npy.write(file, FloatMatrix.allocate(arena, 2, 2)));
            assertTrue(e.getMessage().startsWith("cannot write " + file + ": NoSuchFileException "), e.getMessage());
            assertInstanceOf(NoSuchFileException.class, e.getCause());
        }
        assertEquals(List.of(), names(dir));
    }

    @Test
    void failedRenameDeletesTheTemporaryFileAndLeavesTheTargetAlone() throws IOException {
        // a non-empty directory cannot be replaced by a file, so everything succeeds but the rename
        Path target = Files.createDirectory(dir.resolve("W.npy"));
        Files.writeString(target.resolve("keep.txt"), "keep");
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IOException.class, () -> Npy.write(target, FloatMatrix.allocate(arena, 2, 2)));
        }
        assertEquals(List.of("W.npy"), names(dir));
        assertEquals(List.of("keep.txt"), names(target));
    }

    @Test
    void failureWhileWritingDataDeletesTheTemporaryFileAndLeavesTheTargetAlone() throws IOException {
        byte[] original = {1, 2, 3};
        Path file = Files.write(dir.resolve("W.npy"), original);
        FloatMatrix gone;
        try (Arena arena = Arena.ofConfined()) {
            gone = FloatMatrix.allocate(arena, 3, 3);
        }
        // the header is written, then reading the matrix's freed memory throws
        assertThrows(IllegalStateException.class, () -> Npy.write(file, gone));
        assertArrayEquals(original, Files.readAllBytes(file));
        assertEquals(List.of("W.npy"), names(dir));
    }

    /** A full disk fails with an error that names the file, and leaves the old file and no temporary one. */
    @Test
    void aFullDiskNamesTheFile() throws IOException {
        byte[] original = {1, 2, 3};
        Path file = Files.write(dir.resolve("W.npy"), original);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, channel -> {
            AtomicFiles.writeFully(channel, java.nio.ByteBuffer.wrap(new byte[] {4, 5}));
            throw new IOException("No space left on device"); // what FileChannel.write says at ENOSPC
        }));
        assertEquals("cannot write " + file + ": IOException No space left on device", e.getMessage());
        assertArrayEquals(original, Files.readAllBytes(file));
        assertEquals(List.of("W.npy"), names(dir));
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
