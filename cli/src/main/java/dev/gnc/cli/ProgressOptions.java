package dev.gnc.cli;

import java.io.PrintWriter;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Option;

/** Progress bars on the error stream for long passes, unless {@code --no-progress}. */
final class ProgressOptions {
    @Option(names = "--no-progress", description = "Do not draw progress bars (they go to standard error).")
    boolean off;

    /** A bar open while a pass runs: {@link #step()} is told units done, from any thread. */
    interface Bar extends AutoCloseable {
        LongConsumer step();

        /** Moves the bar to {@code done} units and shows {@code message} beside it (null keeps the last one). */
        default void show(long done, String message) {
        }

        @Override
        void close();
    }

    /** Says on {@code err} which pass starts, for passes that report no progress of their own. */
    void stage(PrintWriter err, String what) {
        if (!off) {
            err.println(what + " ...");
            err.flush();
        }
    }

    /** A bar for {@code total} units of {@code unit} named {@code task}, drawn on {@code err}. */
    Bar start(PrintWriter err, String task, long total, String unit) {
        return start(err, task, 0, total, unit);
    }

    /** A bar that starts at {@code done} of {@code total} units (a resumed run). */
    Bar start(PrintWriter err, String task, long done, long total, String unit) {
        if (off) {
            return new Bar() {
                @Override
                public LongConsumer step() {
                    return done -> {
                    };
                }

                @Override
                public void close() {
                }
            };
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(done,
                        java.time.Duration.ZERO).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).showSpeed()
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, 100))
                .build();
        return new Bar() {
            @Override
            public LongConsumer step() {
                return bar::stepBy;
            }

            @Override
            public void show(long done, String message) {
                bar.stepTo(done);
                if (message != null) {
                    bar.setExtraMessage(message);
                }
            }

            @Override
            public void close() {
                bar.close();
                err.println();
                err.flush();
            }
        };
    }
}
