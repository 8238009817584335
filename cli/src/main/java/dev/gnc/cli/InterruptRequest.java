package dev.gnc.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C as a request to stop at the next step: while open, a shutdown hook marks the request
 * and holds the JVM's exit (up to 5 minutes) until {@link #close} says the checkpoints are
 * written.
 */
final class InterruptRequest implements AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook = new Thread(() -> {
        requested.set(true);
        try {
            written.await(5, TimeUnit.MINUTES); // the JVM exits when this returns: wait for the checkpoints
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }, "gnc-interrupt");

    InterruptRequest() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether Ctrl-C has asked the run to stop. */
    boolean requested() {
        return requested.get();
    }

    /** The checkpoints are written: lets a pending exit go on. */
    @Override
    public void close() {
        written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and returns now that the checkpoints are written
        }
    }
}
