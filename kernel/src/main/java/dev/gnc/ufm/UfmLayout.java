package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;

/**
 * Where W and H live within the points an optimiser moves. The optimiser sees one matrix of unit
 * rows (a point on the oblique manifold), so both blocks step from the same point with one
 * gradient: {@code [W; H]} for {@link UfmVariant#JOINT}, H alone (W held apart) for
 * {@link UfmVariant#FIXED_CLASSIFIER} and {@link UfmVariant#CLASS_MEANS}, W alone (H = W) for
 * {@link UfmVariant#TIED}.
 */
final class UfmLayout {
    final SphericalUfm ufm;
    final UfmVariant variant;
    private final FloatMatrix fixedClassifier;

    UfmLayout(SphericalUfm ufm, UfmVariant variant, FloatMatrix fixedClassifier) {
        this.ufm = ufm;
        this.variant = variant;
        this.fixedClassifier = fixedClassifier;
        if (variant == UfmVariant.TIED && ufm.perClass() != 1) {
            throw new IllegalArgumentException("the tied UFM (H = W) has one feature per class, got " + ufm.perClass());
        }
        boolean apart = variant == UfmVariant.FIXED_CLASSIFIER || variant == UfmVariant.CLASS_MEANS;
        if (apart != (fixedClassifier != null)) {
            throw new IllegalArgumentException("a classifier apart from the points is given exactly for the fixed and "
                    + "class-means variants");
        }
    }

    /** Rows of the moving points. */
    long rows() {
        return rows(ufm, variant);
    }

    /** The features of {@code variant}, the rows a batch or a measurement sample draws from: K for the tied UFM (H = W), else nK. */
    static int population(SphericalUfm ufm, UfmVariant variant) {
        return variant == UfmVariant.TIED ? ufm.classes() : ufm.features();
    }

    /** Rows of the moving points of {@code variant}, before any layout is made. */
    static long rows(SphericalUfm ufm, UfmVariant variant) {
        return switch (variant) {
            case JOINT -> (long) ufm.classes() + ufm.features();
            case FIXED_CLASSIFIER, CLASS_MEANS -> ufm.features();
            case TIED -> ufm.classes();
        };
    }

    FloatMatrix classifier(FloatMatrix points) {
        return switch (variant) {
            case JOINT, TIED -> points.rows(0, ufm.classes());
            case FIXED_CLASSIFIER, CLASS_MEANS -> fixedClassifier;
        };
    }

    FloatMatrix features(FloatMatrix points) {
        return switch (variant) {
            case JOINT -> points.rows(ufm.classes(), rows());
            case FIXED_CLASSIFIER, CLASS_MEANS, TIED -> points;
        };
    }
}
