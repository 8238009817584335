package dev.gnc.cli;

import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import picocli.CommandLine.Option;

/** Options every computing command shares: which backend, how many threads. */
final class RuntimeOptions {
    @Option(names = "--backend", paramLabel = "auto|openblas|vector",
            description = "GEMM backend (default: ${DEFAULT-VALUE}: OpenBLAS when it loads, else the Vector API).",
            defaultValue = "auto")
    String backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: all cores, or -D" + WorkPool.THREADS_PROPERTY + ").")
    Integer threads;

    /** The backend these options ask for; decided once per process. */
    Backend backend() {
        System.setProperty(Backend.PROPERTY, backend);
        return Backend.get();
    }

    int threads() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        return threads != null ? threads : WorkPool.defaultThreads();
    }
}
