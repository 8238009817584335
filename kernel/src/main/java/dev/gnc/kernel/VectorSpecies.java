package dev.gnc.kernel;

import jdk.incubator.vector.FloatVector;

/** The float vector shape the Vector API kernels use on this machine, for reports. */
public final class VectorSpecies {
    private VectorSpecies() {
    }

    /** Bits per float vector, e.g. 512 with AVX-512. */
    public static int bits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** e.g. {@code 16 x float32 (512 bits)}. */
    public static String describe() {
        return FloatVector.SPECIES_PREFERRED.length() + " x float32 (" + bits() + " bits)";
    }
}
