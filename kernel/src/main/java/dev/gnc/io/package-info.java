/**
 * NumPy {@code .npy} files in and out of off-heap matrices and labels ({@link dev.gnc.io.Npy}),
 * written atomically. Uses {@link dev.gnc.core}.
 */
package dev.gnc.io;
