package dev.gnc.io;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * A .npy file that gnc cannot read as asked: not a .npy file, a garbled header, an unsupported
 * dtype or layout, a shape other than the one expected, fewer data bytes than the header promises,
 * or a value the target type cannot hold. The message starts with the file's path, then says what
 * is wrong, e.g. {@code W.npy: dtype '>f4' is big-endian; gnc reads little-endian float32/float64 ...}.
 */
public final class NpyException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    NpyException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
