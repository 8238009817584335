package dev.gnc.ufm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The features of each mini-batch step: B distinct rows of N drawn uniformly without replacement
 * (Floyd's algorithm), from a generator seeded by the run's seed and the step alone. So a batch
 * depends on nothing else, and a resumed run draws the batches an uninterrupted one would: the
 * random state of a checkpoint is its step.
 */
final class BatchSampler {
    private final long seed;
    private final int population;
    private final int size;

    BatchSampler(long seed, int population, int size) {
        if (size < 1 || size > population) {
            throw new IllegalArgumentException("a batch of " + size + " features needs 1 <= B <= nK = " + population);
        }
        this.seed = seed;
        this.population = population;
        this.size = size;
    }

    /** The rows of step {@code step}, ascending. */
    int[] rows(long step) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int[] chosen = new int[size];
        java.util.HashSet<Integer> taken = new java.util.HashSet<>(2 * size);
        int count = 0;
        for (int j = population - size; j < population; j++) {
            int t = random.nextInt(j + 1);
            int pick = taken.add(t) ? t : j;
            if (pick == j) {
                taken.add(j);
            }
            chosen[count++] = pick;
        }
        Arrays.sort(chosen);
        return chosen;
    }
}
