package dev.gnc.examples;

import dev.gnc.core.WorkPool;
import dev.gnc.ufm.SphericalUfm;
import dev.gnc.ufm.TrainingRecord;
import dev.gnc.ufm.UfmTraining;
import java.lang.foreign.Arena;

/** The spherical UFM with 50 classes of 4 features in d = 5, trained with tau continuation. */
public final class TrainingExample {
    public static void main(String[] args) {
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(2)) {
            UfmTraining run = UfmTraining.builder(new SphericalUfm(50, 4, 5), pool)
                    .taus(5, 20).stepsPerStage(200).start(arena, 1);
            TrainingRecord first = run.measure(0);
            while (!run.done()) {
                run.step();
            }
            TrainingRecord last = run.measure(0);
            System.out.printf("GNC1 %.1e -> %.1e, margin %.3f -> %.3f (certified: %b)%n", first.gnc1(), last.gnc1(),
                    first.margin(), last.margin(), last.marginExact());
        }
    }
}
