package dev.gnc.examples;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.metrics.CollapseMetrics;
import dev.gnc.metrics.OneVsRestDistance;
import dev.gnc.metrics.OneVsRestResult;
import java.lang.foreign.Arena;

/** The margin of the regular 12-gon, and the collapse metrics of features sitting on their classes. */
public final class MetricsExample {
    public static void main(String[] args) {
        int k = 12;
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(2)) {
            FloatMatrix w = FloatMatrix.allocate(arena, k, 2);
            FloatMatrix h = FloatMatrix.allocate(arena, 2 * k, 2);
            Labels y = Labels.allocate(arena, 2 * k);
            for (int c = 0; c < k; c++) {
                double angle = 2 * Math.PI * c / k;
                w.set(c, 0, (float) Math.cos(angle));
                w.set(c, 1, (float) Math.sin(angle));
                for (int i = 0; i < 2; i++) { // two features per class, a little off their class
                    double off = angle + (i == 0 ? 0.01 : -0.01);
                    h.set(2 * c + i, 0, (float) Math.cos(off));
                    h.set(2 * c + i, 1, (float) Math.sin(off));
                    y.set(2 * c + i, c);
                }
            }
            OneVsRestResult rho = OneVsRestDistance.builder(pool).build().compute(w);
            System.out.printf("margin %.6f (1 - cos(2 pi / 12) = %.6f), certificate gap %.1e%n", rho.min(),
                    1 - Math.cos(2 * Math.PI / k), rho.certificateGap());
            CollapseMetrics collapse = CollapseMetrics.compute(w, h, y, pool);
            System.out.printf("GNC1 %.1e, GNC3 %.1e, accuracy %.2f%n", collapse.gnc1(), collapse.gnc3(),
                    collapse.accuracy());
        }
    }
}
