package dev.gnc.ufm;

import dev.gnc.core.Labels;
import java.lang.foreign.Arena;

/**
 * The spherical unconstrained feature model's shape: K classes with n features each in dimension
 * d. Feature row r belongs to class {@code r / n} (rows grouped by class), and the loss is the
 * mean cross-entropy of the logits {@code tau H W^T} over all {@code n K} features.
 *
 * @param classes  K >= 2
 * @param perClass n >= 1
 * @param dim      d >= 1
 */
public record SphericalUfm(int classes, int perClass, int dim) {
    public SphericalUfm {
        if (classes < 2) {
            throw new IllegalArgumentException("the UFM needs at least 2 classes, got " + classes);
        }
        if (perClass < 1) {
            throw new IllegalArgumentException("the UFM needs at least 1 feature per class, got " + perClass);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("the UFM needs a dimension of at least 1, got " + dim);
        }
        if ((long) classes * perClass > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(classes + " classes x " + perClass + " features per class exceed 2^31 - 1 "
                    + "features");
        }
    }

    /** n K, the number of feature rows. */
    public int features() {
        return classes * perClass;
    }

    /** The label of every feature row, {@code r / n}. */
    public Labels labels(Arena arena) {
        Labels y = Labels.allocate(arena, features());
        for (int r = 0; r < features(); r++) {
            y.set(r, r / perClass);
        }
        return y;
    }
}
