package dev.gnc.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float vector shape every Vector API kernel in gnc uses, chosen once.
 *
 * <p>The preferred species of the machine (512 bits with AVX-512), unless {@value #BITS_PROPERTY}
 * forces a narrower power of two, so tests and benchmarks can run the narrow paths anywhere.
 */
public final class Simd {
    /** System property forcing a vector width in bits (64 up to the preferred width). */
    public static final String BITS_PROPERTY = "gnc.vector.bits";

    public static final VectorSpecies<Float> FLOATS = species(System.getProperty(BITS_PROPERTY));

    private Simd() {
    }

    static VectorSpecies<Float> species(String value) {
        if (value == null || value.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        try {
            int bits = Integer.parseInt(value.strip());
            if (bits >= 64 && bits <= preferred && Integer.bitCount(bits) == 1) {
                return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits));
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending value
        }
        throw new IllegalArgumentException(BITS_PROPERTY + " must be a power of two from 64 to " + preferred
                + ", got '" + value + "'");
    }

    /** Bits per float vector, e.g. 512 with AVX-512. */
    public static int bits() {
        return FLOATS.vectorBitSize();
    }

    /** e.g. {@code 16 x float32 (512 bits)}. */
    public static String describe() {
        return FLOATS.length() + " x float32 (" + bits() + " bits)";
    }
}
