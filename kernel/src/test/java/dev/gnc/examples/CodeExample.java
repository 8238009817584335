package dev.gnc.examples;

import dev.gnc.core.WorkPool;
import dev.gnc.ufm.CodeSearch;
import dev.gnc.ufm.CodeSearchResult;
import java.lang.foreign.Arena;

/** A softmax code for 12 classes in R^3: the search finds the icosahedron, rho = 1 - 1/sqrt(5). */
public final class CodeExample {
    public static void main(String[] args) {
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(2)) {
            CodeSearchResult code = CodeSearch.builder(12, 3, pool).restarts(4).seed(1).build().search(arena)
                    .orElseThrow(); // empty only when a stop was requested
            System.out.printf("margin %.6f (icosahedron %.6f), certificate gap %.1e, from restart %d of %d%n",
                    code.margin(), 1 - 1 / Math.sqrt(5), code.distances().certificateGap(), code.bestRestart(),
                    code.restarts());
            System.out.printf("largest cosine %.6f (1/sqrt(5) = %.6f), W is %d x %d%n", code.distances().maxCosine(),
                    1 / Math.sqrt(5), code.code().rows(), code.code().cols());
        }
    }
}
