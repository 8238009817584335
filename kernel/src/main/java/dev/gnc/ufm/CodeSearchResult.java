package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.metrics.OneVsRestResult;

/**
 * What a {@link CodeSearch} found: the code of its best restart and that code's certified
 * distances. The margins array belongs to this result; do not modify it.
 *
 * @param code        the best W, K x d float32 unit rows, in the arena the search was given
 * @param distances   the certified one-vs-rest distances of {@code code}
 * @param bestRestart the restart it came from (the first among equal margins)
 * @param margins     per restart, the certified margin {@code min_k rho_k} of its code
 */
public record CodeSearchResult(FloatMatrix code, OneVsRestResult distances, int bestRestart, double[] margins) {

    /** The certified margin of the code, {@code min_k rho_k}. */
    public double margin() {
        return distances.min();
    }

    /** Number of restarts run. */
    public int restarts() {
        return margins.length;
    }
}
