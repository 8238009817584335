package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.io.Npy;
import dev.gnc.ufm.SphericalUfm;
import dev.gnc.ufm.TrainingRecord;
import dev.gnc.ufm.UfmTraining;
import dev.gnc.ufm.UfmVariant;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gnc train}: trains the spherical UFM and writes its metrics, checkpoints, arrays and plots. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the spherical unconstrained feature model (W and H on the unit sphere, mean "
                + "cross-entropy of tau H W^T) and measures generalized neural collapse as it happens.",
            "With no options: K = 1000 classes, 5 features each, d = 10, tau 5 then 20 then 60, 300 line-search "
                + "steps at each: GNC1 and GNC3 fall by orders of magnitude and the margin grows, in under a minute."})
final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger("gnc");

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "1000", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--dim", paramLabel = "d", defaultValue = "10", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--per-class", paramLabel = "n",
            description = "Features per class (default: 5; 1 for --variant tied).")
    Integer perClass;

    static final class Scale {
        @Option(names = "--tau", paramLabel = "T", description = "One scale for the whole run.")
        Double tau;

        @Option(names = "--tau-schedule", paramLabel = "T", split = ",", splitSynopsisLabel = ",", arity = "1",
                description = "Stages of --steps steps each, each warm-started from the last (default: 5,20,60).")
        double[] schedule;
    }

    @ArgGroup(exclusive = true)
    Scale scale;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "300",
            description = "Steps per tau stage (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--line-search", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Armijo line search along the retraction (default: on); --no-line-search takes fixed steps "
                    + "of --lr with --optimizer.")
    boolean lineSearch;

    @Option(names = "--optimizer", paramLabel = "rgd|momentum|adam", defaultValue = "rgd",
            description = "Fixed-step method with --no-line-search (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1",
            description = "Fixed step, or the line search's first trial step (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "0",
            description = "Mini-batch training: B random features a step against all classes, with "
                    + "--no-line-search (default: ${DEFAULT-VALUE}, full batch).")
    int batch;

    @Option(names = "--schedule", paramLabel = "constant|cosine|step", defaultValue = "constant",
            description = "Learning rate over the run, for --batch (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--variant", paramLabel = "joint|fixed|tied|means", defaultValue = "joint",
            description = "Train W and H (joint), H against --init-classifier (fixed), H = W with n = 1 (tied), or H "
                    + "against W = its normalised class means (means) (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--init-classifier", paramLabel = "W0.npy", description = "Initial (or fixed) W, K x d unit rows.")
    Path initClassifier;

    @Option(names = "--init-features", paramLabel = "H0.npy", description = "Initial H, nK x d unit rows, grouped by "
            + "class.")
    Path initFeatures;

    @Option(names = "--seed", paramLabel = "s", defaultValue = "1", description = "Seed of the random start "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--log-every", paramLabel = "M", defaultValue = "25",
            description = "Measure and log every M steps (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--checkpoint-every", paramLabel = "C", defaultValue = "500",
            description = "Checkpoint every C steps, and always at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--margin", paramLabel = "auto|exact|bound|none", defaultValue = "auto",
            description = "How logs measure the margin: certified (exact), 1 - max cos (bound), or auto: exact up to "
                    + UfmTraining.EXACT_MARGIN_CLASSES + " classes, bound above. Unless none, the last log is exact up "
                    + "to " + UfmTraining.FINAL_EXACT_MARGIN_CLASSES + " classes (default: ${DEFAULT-VALUE}).")
    String margin;

    @Option(names = "--measure-sample", paramLabel = "S|all|auto", defaultValue = "auto",
            description = "Features the loss and accuracies of a log are measured on: all, a fixed sample of S, or auto: "
                    + "all when K N d <= 1e9 or that costs under a tenth of the steps between logs, else a sample that "
                    + "does (at least 1024 features); GNC1, GNC3 and the margin always use every feature (default: "
                    + "${DEFAULT-VALUE}).")
    String measureSample;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder of the run (default: runs/train-DATE-TIME, -2, -3, ... when taken); "
            + "must be new or empty.")
    Path out;

    @Option(names = "--stop-after", paramLabel = "STEPS", description = "Stop after this many steps of this invocation, "
            + "with a checkpoint (for time-limited job queues); continue with --resume.")
    Long stopAfter;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its latest checkpoint, "
            + "with its settings.")
    Path resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (stopAfter != null && stopAfter < 1) {
            throw new IllegalArgumentException("--stop-after must be >= 1, got " + stopAfter);
        }
        RunDirectory resumed = resume == null ? null : RunDirectory.existing(resume);
        Properties settings = resumed == null ? settingsFromOptions() : resumed.settings();
        if (resumed != null && runtime.threads != null) {
            LOG.warning("resuming with --threads " + runtime.threads + " where the run used "
                    + settings.getProperty("threads") + ": results may differ from an uninterrupted run in the last bits");
            settings.setProperty("threads", Integer.toString(runtime.threads()));
        }
        TrainSettings s = new TrainSettings(settings);
        Backend backend = runtime.backend();
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(Integer.parseInt(settings.getProperty(
                "threads")))) {
            UfmTraining.Builder builder = s.builder(pool).gemm(backend.gemm());
            MemoryCheck.require(builder.estimatedMemory(), "this run");
            if (resumed == null) {
                UfmTraining training = s.start(builder, arena); // inputs checked before the folder exists
                RunDirectory run = out != null ? RunDirectory.create(out)
                        : RunDirectory.createFresh(Path.of("runs"), "train", LocalDateTime.now());
                run.writeSettings(settings, "gnc train");
                return train(training, s, run, MetricsLog.create(run.dir), 0, err);
            }
            Properties state = resumed.checkpointState();
            Path folder = resumed.checkpointFolder();
            if (s.variant == UfmVariant.FIXED_CLASSIFIER) {
                builder.fixedClassifier(Npy.readMatrix(s.initClassifier, arena));
            }
            boolean trainsW = s.variant == UfmVariant.JOINT || s.variant == UfmVariant.TIED;
            FloatMatrix w = trainsW ? Npy.readMatrix(folder.resolve("W.npy"), arena) : null;
            FloatMatrix h = s.variant == UfmVariant.TIED ? null : Npy.readMatrix(folder.resolve("H.npy"), arena);
            UfmTraining training = builder.start(arena, w, h);
            long step = Long.parseLong(state.getProperty("step"));
            List<FloatMatrix> saved = new java.util.ArrayList<>();
            for (int i = 0; i < Integer.parseInt(state.getProperty("optimiser_state_arrays", "0")); i++) {
                saved.add(Npy.readMatrix(folder.resolve(RunDirectory.stateFile(i)), arena));
            }
            training.resumeAt(step, Double.parseDouble(state.getProperty("trial_step")), saved,
                    Long.parseLong(state.getProperty("optimiser_steps", "0")));
            err.println("gnc: resuming " + resumed.dir + " at step " + step + " of " + training.totalSteps());
            return train(training, s, resumed, MetricsLog.resume(resumed.dir, step),
                    Double.parseDouble(state.getProperty("seconds")), err);
        }
    }

    private Properties settingsFromOptions() {
        double[] taus = scale == null || (scale.tau == null && scale.schedule == null) ? new double[] {5, 20, 60}
                : scale.tau != null ? new double[] {scale.tau} : scale.schedule;
        Properties p = new Properties();
        p.setProperty("classes", Integer.toString(classes));
        p.setProperty("dim", Integer.toString(dim));
        p.setProperty("per_class", Integer.toString(perClass != null ? perClass
                : variant.equalsIgnoreCase("tied") ? 1 : 5));
        p.setProperty("taus", Arrays.stream(taus).mapToObj(Double::toString).collect(Collectors.joining(",")));
        p.setProperty("steps", Integer.toString(steps));
        p.setProperty("method", (lineSearch ? "line_search" : optimizer).toLowerCase(Locale.ROOT));
        p.setProperty("lr", Double.toString(lr));
        p.setProperty("variant", variant.toLowerCase(Locale.ROOT));
        p.setProperty("batch", Integer.toString(batch));
        p.setProperty("schedule", schedule.toLowerCase(Locale.ROOT));
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("log_every", Integer.toString(logEvery));
        p.setProperty("checkpoint_every", Integer.toString(checkpointEvery));
        p.setProperty("margin", margin.toLowerCase(Locale.ROOT));
        p.setProperty("measure_sample", measureSample.toLowerCase(Locale.ROOT));
        p.setProperty("threads", Integer.toString(runtime.threads()));
        if (initClassifier != null) {
            p.setProperty("init_classifier", initClassifier.toAbsolutePath().toString());
        }
        if (initFeatures != null) {
            p.setProperty("init_features", initFeatures.toAbsolutePath().toString());
        }
        new TrainSettings(p); // every value checked before the folder is made
        return p;
    }

    /** The loop: steps, logs, checkpoints; Ctrl-C stops it at the next step with a checkpoint. */
    private int train(UfmTraining training, TrainSettings s, RunDirectory run, MetricsLog log, double secondsBefore,
            PrintWriter err) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long stopAt = stopAfter == null ? Long.MAX_VALUE : training.steps() + stopAfter;
        long start = System.nanoTime();
        boolean interrupted;
        try (InterruptRequest ctrlC = new InterruptRequest(); log;
                ProgressOptions.Bar bar = progress.start(err, "train", training.steps(), training.totalSteps(),
                        "steps")) {
            if (training.steps() == 0) {
                record(training, log, bar, secondsBefore);
            }
            while (!training.done() && !ctrlC.requested() && training.steps() < stopAt) {
                long stepBefore = training.steps();
                double tauBefore = training.tau();
                boolean stalled = training.step();
                long step = training.steps();
                if (stalled) {
                    err.println(String.format(Locale.ROOT, "%sgnc: at step %d the line search can make no more "
                            + "progress at tau %.4g; %s", progress.off ? "" : "\n", stepBefore + 1, tauBefore,
                            training.done()
                            ? "the run ends" : "the stage ends and the next one starts at step " + (step + 1)));
                    err.flush();
                }
                double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
                if (step % s.logEvery == 0 || training.done() || stalled) {
                    record(training, log, bar, seconds);
                } else {
                    bar.show(step, null);
                }
                if (step % s.checkpointEvery == 0 || training.done() || ctrlC.requested() || step >= stopAt
                        || stalled) {
                    checkpoint(training, run, seconds);
                }
            }
            interrupted = ctrlC.requested();
        }
        if (interrupted) {
            err.println("gnc: interrupted at step " + training.steps() + "; checkpoint written; continue with --resume "
                    + run.dir);
            return 130;
        }
        if (!training.done()) {
            err.println("gnc: stopped after " + stopAfter + " steps at step " + training.steps() + " of "
                    + training.totalSteps() + "; checkpoint written; continue with --resume " + run.dir);
            return 0;
        }
        FloatMatrix w = training.classifier(), h = training.features();
        Npy.write(run.dir.resolve("W.npy"), w);
        Npy.write(run.dir.resolve("H.npy"), h);
        List<TrainingRecord> records = log.records();
        List<Path> plots = TrainingPlots.write(run.dir, records, title(training));
        if (training.ufm().dim() == 2 || training.ufm().dim() == 3) {
            CodePicture.write(run.dir.resolve("code.png"), CodePicture.rows(w), s.variant == UfmVariant.TIED ? null : CodePicture.rows(h),
                    training.labels().toArray(), title(training));
            plots = new java.util.ArrayList<>(plots);
            plots.add(run.dir.resolve("code.png"));
        }
        TrainingSummary.print(out, records.getFirst(), records.getLast());
        out.println();
        out.println("wrote " + run.dir + ": W.npy, H.npy, " + MetricsLog.CSV + ", " + MetricsLog.JSONL + ", "
                + plots.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
        out.flush();
        return 0;
    }

    private static String title(UfmTraining t) {
        SphericalUfm u = t.ufm();
        return "UFM K = " + u.classes() + ", n = " + u.perClass() + ", d = " + u.dim();
    }

    /** A log line; the run's last one measures the margin as {@link UfmTraining#measureFinal} does. */
    private static void record(UfmTraining training, MetricsLog log, ProgressOptions.Bar bar, double seconds)
            throws IOException {
        TrainingRecord r;
        if (training.done()) {
            long[] certified = {0};
            int classes = training.ufm().classes();
            // the pool's threads report: count and show under one lock, so the bar never goes back
            r = training.measureFinal(seconds, done -> {
                synchronized (certified) {
                    certified[0] += done;
                    bar.show(training.steps(), "certifying the margin: " + certified[0] + " of " + classes
                            + " classes");
                }
            });
        } else {
            r = training.measure(seconds);
        }
        log.append(r);
        bar.show(r.step(), String.format("loss %.3g, GNC1 %s, GNC3 %.3g, margin %s", r.loss(),
                Double.isNaN(r.gnc1()) ? TrainingRecord.UNDEFINED : String.format("%.3g", r.gnc1()), r.gnc3(),
                TrainingSummary.margin(r)));
    }

    private static void checkpoint(UfmTraining training, RunDirectory run, double seconds) throws IOException {
        Properties state = new Properties();
        state.setProperty("trial_step", Double.toString(training.trialStep()));
        state.setProperty("seconds", Double.toString(seconds));
        state.setProperty("optimiser_steps", Long.toString(training.optimiserSteps()));
        run.checkpoint(training.steps(), training.classifier(), training.features(), training.optimiserState(), state);
    }
}
