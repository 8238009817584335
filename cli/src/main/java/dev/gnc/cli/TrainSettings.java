package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.io.Npy;
import dev.gnc.ufm.LearningRateSchedule;
import dev.gnc.ufm.MarginMode;
import dev.gnc.ufm.SphericalUfm;
import dev.gnc.ufm.TrainingMethod;
import dev.gnc.ufm.UfmTraining;
import dev.gnc.ufm.UfmVariant;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/** The settings of a run, parsed and checked: the same whether they come from options or run.properties. */
final class TrainSettings {
    final SphericalUfm ufm;
    final double[] taus;
    final int steps;
    final TrainingMethod method;
    final double lr;
    final UfmVariant variant;
    final long seed;
    final int logEvery;
    final int checkpointEvery;
    final MarginMode margin;
    /** Features a log's loss and accuracies are measured on, resolved from "auto" and "all". */
    final int measureSample;
    final int batch;
    final LearningRateSchedule schedule;
    final Path initClassifier;
    final Path initFeatures;

    TrainSettings(Properties p) {
        ufm = new SphericalUfm(integer(p, "classes"), integer(p, "per_class"), integer(p, "dim"));
        taus = Arrays.stream(p.getProperty("taus").split(",")).mapToDouble(Double::parseDouble).toArray();
        steps = integer(p, "steps");
        method = choice(TrainingMethod.class, p.getProperty("method"), "--optimizer");
        lr = Double.parseDouble(p.getProperty("lr"));
        variant = choice(UfmVariant.class, p.getProperty("variant").replace("fixed", "fixed_classifier")
                .replace("means", "class_means"), "--variant");
        seed = Long.parseLong(p.getProperty("seed"));
        logEvery = positive(p, "log_every", "--log-every");
        checkpointEvery = positive(p, "checkpoint_every", "--checkpoint-every");
        margin = choice(MarginMode.class, p.getProperty("margin"), "--margin");
        batch = integer(p, "batch");
        schedule = choice(LearningRateSchedule.class, p.getProperty("schedule"), "--schedule");
        initClassifier = p.containsKey("init_classifier") ? Path.of(p.getProperty("init_classifier")) : null;
        initFeatures = p.containsKey("init_features") ? Path.of(p.getProperty("init_features")) : null;
        measureSample = measureSample(p.getProperty("measure_sample", "auto"));
        if (variant == UfmVariant.CLASS_MEANS && initClassifier != null) {
            throw new IllegalArgumentException("--variant means derives W from the features: drop --init-classifier");
        }
        if (variant == UfmVariant.FIXED_CLASSIFIER && initClassifier == null) {
            throw new IllegalArgumentException("--variant fixed trains against --init-classifier W.npy: give one");
        }
        if ((initClassifier != null) != (initFeatures != null) && variant == UfmVariant.JOINT) {
            throw new IllegalArgumentException("--init-classifier and --init-features go together for --variant "
                    + "joint: give both or neither");
        }
        builder(null); // the builder checks tau, steps and the learning rate
    }

    UfmTraining.Builder builder(WorkPool pool) {
        UfmTraining.Builder b = UfmTraining.builder(ufm, pool != null ? pool : WorkPool.create(1));
        b.variant(variant).taus(taus).stepsPerStage(steps).method(method).learningRate(lr).margin(margin)
                .batch(batch).schedule(schedule).seed(seed).measureSample(measureSample);
        return b;
    }

    /** A fresh run: from the initial arrays when given, else from the seed. */
    UfmTraining start(UfmTraining.Builder b, Arena arena) throws IOException {
        FloatMatrix w = initClassifier == null ? null : Npy.readMatrix(initClassifier, arena);
        FloatMatrix h = initFeatures == null ? null : Npy.readMatrix(initFeatures, arena);
        if (variant == UfmVariant.FIXED_CLASSIFIER || variant == UfmVariant.CLASS_MEANS) {
            if (w != null) {
                b.fixedClassifier(w);
            }
            return h == null ? b.start(arena, seed) : b.start(arena, null, h);
        }
        return w == null && h == null ? b.start(arena, seed) : b.start(arena, w, h);
    }

    private int measureSample(String value) {
        int population = variant == UfmVariant.TIED ? ufm.classes() : ufm.features();
        return switch (value) {
            case "auto" -> UfmTraining.measureSampleFor(ufm.classes(), ufm.dim(), population, batch, logEvery);
            case "all" -> population;
            default -> {
                int features;
                try {
                    features = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--measure-sample takes a number of features, all or auto, got '"
                            + value + "'");
                }
                if (features < 1 || features > population) {
                    throw new IllegalArgumentException("--measure-sample " + features + " is outside [1, " + population
                            + "], the features of this UFM");
                }
                yield features;
            }
        };
    }

    private static int integer(Properties p, String key) {
        return Integer.parseInt(p.getProperty(key));
    }

    private static int positive(Properties p, String key, String option) {
        int v = integer(p, key);
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + v);
        }
        return v;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " does not know '" + value + "'");
        }
    }
}
