package dev.gnc.sphere;

/**
 * The per-row scalars of the fused sphere sweeps: the Gram matrix one sweep gathers, the
 * retraction's coefficients and the mix the writing sweep applies. A worker keeps one for a
 * chunk of rows and reuses it row after row; it is never shared between threads.
 */
final class RowScalars {
    final double[] gram = new double[6];
    final double[] coefficients = new double[2];
    final float[] mix = new float[6];
}
