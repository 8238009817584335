package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import java.util.List;

/**
 * One restart of a {@link CodeSearch} as a checkpoint holds it: enough to continue it to the
 * same bits as an uninterrupted search. The matrices are live views while the search offers the
 * state, and are copied in when it resumes from one.
 *
 * @param restart            the restart's index
 * @param stage              the stage it is in (0 the first)
 * @param stageSteps         the steps taken in that stage
 * @param tau                that stage's tau (computed from the code as the stage began)
 * @param lastStep           the last step the line search accepted: the next stage's first trial
 * @param trialStep          the step the line search tries next
 * @param previousSquaredNorm the conjugate direction's {@link dev.gnc.optim.ArmijoLineSearch#previousSquaredNorm}
 * @param done               whether the restart has run every stage
 * @param code               its K x d code
 * @param lineSearchState    the conjugate direction's {@link dev.gnc.optim.ArmijoLineSearch#state}
 */
public record CodeRestartState(int restart, int stage, int stageSteps, double tau, double lastStep, double trialStep,
        double previousSquaredNorm, boolean done, FloatMatrix code, List<FloatMatrix> lineSearchState) {
    public CodeRestartState {
        lineSearchState = List.copyOf(lineSearchState);
    }
}
