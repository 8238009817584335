package dev.gnc.blas;

import java.util.List;

/**
 * What {@link OpenBlasLoader#load()} found: the library, or the reasons each candidate failed.
 *
 * @param library   the bound library, or null when nothing loaded
 * @param requested whether the user named the library (then a failure is an error, not a fallback)
 * @param attempts  one line per candidate that failed, in the order tried
 */
public record OpenBlasLoad(OpenBlas library, boolean requested, List<String> attempts) {
    public OpenBlasLoad {
        attempts = List.copyOf(attempts);
    }

    public boolean isLoaded() {
        return library != null;
    }

    /** The library, or an {@link IllegalStateException} that lists what was tried and why it failed. */
    public OpenBlas orElseThrow() {
        if (library != null) {
            return library;
        }
        String hint = requested
                ? "\n(the library was named by -D" + OpenBlasLoader.LIBRARY_PROPERTY + " or $" + OpenBlasLoader.LIBRARY_ENV + ")"
                : "";
        throw new IllegalStateException("could not load OpenBLAS; tried:\n  " + String.join("\n  ", attempts) + hint);
    }
}
