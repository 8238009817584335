package dev.gnc.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one pool of worker threads gnc computes on: the only level of parallelism (OpenBLAS runs
 * single-threaded inside it).
 *
 * <p>{@link #run} splits work into numbered tasks. Which thread runs a task may vary, so a
 * deterministic kernel writes each task's result to its own slot and merges the slots in task
 * order afterwards; then results are bitwise identical run to run for a given task split.
 */
public final class WorkPool implements AutoCloseable {
    /** System property with the default thread count; unset means all available cores. */
    public static final String THREADS_PROPERTY = "gnc.threads";
    /** A thread that owns nothing: confined memory is not accessible by it. */
    private static final Thread ANOTHER_THREAD = Thread.ofVirtual().unstarted(() -> { });

    private final int threads;
    private final ExecutorService executor;

    private WorkPool(int threads) {
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread t = new Thread(runnable, "gnc-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** A pool of {@code threads} threads, the calling thread being one of them. */
    public static WorkPool create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return new WorkPool(threads);
    }

    /** The thread count from {@value #THREADS_PROPERTY}, else the number of available cores. */
    public static int defaultThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(value.strip());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending value
        }
        throw new IllegalArgumentException(THREADS_PROPERTY + " must be a positive integer, got '" + value + "'");
    }

    public int threads() {
        return threads;
    }

    /**
     * Throws an IllegalArgumentException naming {@code what} when this pool's other threads cannot
     * read {@code segment} (memory of a confined arena): the check a multi-threaded kernel makes
     * before any work.
     */
    public void requireShared(MemorySegment segment, String what) {
        if (threads > 1 && !segment.isAccessibleBy(ANOTHER_THREAD)) {
            throw new IllegalArgumentException(what + " lives in a confined arena, which the other threads of a "
                    + threads + "-thread pool cannot read; allocate it in Arena.ofShared(), ofAuto() or global()");
        }
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, tasks)} and returns when all
     * are done. The caller's thread works too. The first exception a task throws is rethrown.
     */
    public void run(int tasks, IntConsumer task) {
        if (tasks <= 0) {
            return;
        }
        if (executor == null || tasks == 1) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks; ) {
                task.accept(i);
            }
        };
        int helpers = Math.min(threads, tasks) - 1;
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            futures.add(executor.submit(worker));
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(tasks); // stop handing out work
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("a gnc worker failed", failure);
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "WorkPool[" + threads + " threads]";
    }
}
