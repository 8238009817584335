package dev.gnc.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically: the content goes to a temporary file beside the target, is flushed to
 * disk, then renamed over the target. Readers see the old file or the new one, never a partial
 * one, and a failed write deletes its temporary file and leaves the target untouched.
 */
public final class AtomicFiles {

    /** Writes a file's content to a channel positioned at its start. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code bytes}, atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /** Replaces {@code target} with what {@code content} writes, atomically. */
    public static void write(Path target, Content content) throws IOException {
        Path temp = target.toAbsolutePath().resolveSibling(
                "." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        FileChannel channel;
        try { // CREATE_NEW: never clobber a file we did not make, so cleanup below only ever deletes our own
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw failure(target, e);
        }
        try {
            try (channel) {
                content.writeTo(channel);
                channel.force(false);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // a full disk says only "No space left on device": name the file
            throw deleted(temp, failure(target, e));
        } catch (RuntimeException e) {
            throw deleted(temp, e);
        } catch (Error e) {
            throw deleted(temp, e);
        }
    }

    /** {@code e}, after deleting the temporary file (a failure to delete it is added as suppressed). */
    private static <T extends Throwable> T deleted(Path temp, T e) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
        return e;
    }

    /**
     * An IOException whose message names {@code target}: {@code cannot write TARGET: Type message},
     * the cause kept.
     */
    public static IOException failure(Path target, IOException e) {
        return new IOException("cannot write " + target + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }

    /** Writes every remaining byte of {@code bytes}. */
    public static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
