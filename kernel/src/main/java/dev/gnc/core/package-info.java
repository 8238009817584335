/**
 * What every other part of the kernel builds on: off-heap row-major float32 matrices
 * ({@link dev.gnc.core.FloatMatrix}), int32 labels ({@link dev.gnc.core.Labels}), the one pool of
 * worker threads ({@link dev.gnc.core.WorkPool}) and seeded random data
 * ({@link dev.gnc.core.RandomMatrices}). It uses no other package of gnc.
 */
package dev.gnc.core;
