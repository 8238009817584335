package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.io.Npy;
import dev.gnc.ufm.CodeCheckpoints;
import dev.gnc.ufm.CodeRestartState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checkpoints of a {@code gnc code} run: restart R's latest in {@code DIR/restart-R} (its
 * code as W.npy, the conjugate direction's arrays as state-0.npy and state-1.npy, the rest in
 * checkpoint.properties), written when a restart stops or ends and otherwise at most once per
 * interval, so a fast search spends no time on files and a slow one loses at most an interval.
 * A write error is thrown as an {@link UncheckedIOException} from the restart's thread.
 */
final class CodeCheckpointFolder implements CodeCheckpoints {
    private final RunDirectory run;
    private final int stages;
    private final int stepsPerStage;
    private final long intervalNanos;
    private final ConcurrentHashMap<Integer, Long> lastWritten = new ConcurrentHashMap<>();

    CodeCheckpointFolder(RunDirectory run, int stages, int stepsPerStage, double intervalSeconds) {
        this.run = run;
        this.stages = stages;
        this.stepsPerStage = stepsPerStage;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    private RunDirectory restart(int r) {
        return run.child("restart-" + r);
    }

    @Override
    public CodeRestartState load(int r, Arena arena) {
        RunDirectory folder = restart(r);
        if (!folder.hasCheckpoint()) {
            return null;
        }
        try {
            Properties p = folder.checkpointState();
            Path arrays = folder.checkpointFolder();
            List<FloatMatrix> lineSearch = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(p.getProperty("optimiser_state_arrays")); i++) {
                lineSearch.add(Npy.readMatrix(arrays.resolve(RunDirectory.stateFile(i)), arena));
            }
            return new CodeRestartState(r, Integer.parseInt(p.getProperty("stage")),
                    Integer.parseInt(p.getProperty("stage_steps")), Double.parseDouble(p.getProperty("tau")),
                    Double.parseDouble(p.getProperty("last_step")), Double.parseDouble(p.getProperty("trial_step")),
                    Double.parseDouble(p.getProperty("previous_squared_norm")),
                    Boolean.parseBoolean(p.getProperty("done")), Npy.readMatrix(arrays.resolve("W.npy"), arena),
                    lineSearch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void offer(CodeRestartState s, boolean last) {
        long now = System.nanoTime();
        Long before = lastWritten.putIfAbsent(s.restart(), now); // the first offer starts the interval
        if (!last && (before == null || now - before < intervalNanos)) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("stage", Integer.toString(s.stage()));
        p.setProperty("stage_steps", Integer.toString(s.stageSteps()));
        p.setProperty("tau", Double.toString(s.tau()));
        p.setProperty("last_step", Double.toString(s.lastStep()));
        p.setProperty("trial_step", Double.toString(s.trialStep()));
        p.setProperty("previous_squared_norm", Double.toString(s.previousSquaredNorm()));
        p.setProperty("done", Boolean.toString(s.done()));
        try {
            restart(s.restart()).checkpoint(stepsTaken(s.stage(), s.stageSteps()), s.code(), null,
                    s.lineSearchState(), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastWritten.put(s.restart(), System.nanoTime());
    }

    /** The steps a restart has taken at step {@code stageSteps} of {@code stage}, every earlier stage counted whole. */
    private long stepsTaken(int stage, int stageSteps) {
        return (long) stage * stepsPerStage + stageSteps;
    }

    /** The steps the saved restarts have taken, whole stages for those that ended: where the progress resumes. */
    long stepsDone(int restarts) throws IOException {
        long done = 0;
        for (int r = 0; r < restarts; r++) {
            RunDirectory folder = restart(r);
            if (folder.hasCheckpoint()) {
                Properties p = folder.checkpointState();
                done += Boolean.parseBoolean(p.getProperty("done")) ? (long) stages * stepsPerStage
                        : stepsTaken(Integer.parseInt(p.getProperty("stage")),
                                Integer.parseInt(p.getProperty("stage_steps")));
            }
        }
        return done;
    }
}
