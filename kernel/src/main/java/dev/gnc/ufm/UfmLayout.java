package dev.gnc.ufm;

import dev.gnc.kernel.FloatMatrix;

/**
 * Where W and H live within the points an optimiser moves. The optimiser sees one matrix of unit
 * rows (a point on the oblique manifold), so both blocks step from the same point with one
 * gradient: {@code [W; H]} for {@link UfmVariant#JOINT}, H alone (W held apart) for
 * {@link UfmVariant#FIXED_CLASSIFIER}, W alone (H = W) for {@link UfmVariant#TIED}.
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
        if ((variant == UfmVariant.FIXED_CLASSIFIER) != (fixedClassifier != null)) {
            throw new IllegalArgumentException("a fixed classifier is given exactly for the fixed-classifier variant");
        }
    }

    /** Rows of the moving points. */
    long rows() {
        return switch (variant) {
            case JOINT -> (long) ufm.classes() + ufm.features();
            case FIXED_CLASSIFIER -> ufm.features();
            case TIED -> ufm.classes();
        };
    }

    FloatMatrix classifier(FloatMatrix points) {
        return switch (variant) {
            case JOINT, TIED -> points.rows(0, ufm.classes());
            case FIXED_CLASSIFIER -> fixedClassifier;
        };
    }

    FloatMatrix features(FloatMatrix points) {
        return switch (variant) {
            case JOINT -> points.rows(ufm.classes(), rows());
            case FIXED_CLASSIFIER, TIED -> points;
        };
    }
}
