package dev.gnc.sphere;

/**
 * How far the rows of a matrix are from the unit sphere: the row with the largest
 * {@code | ||x_i|| - 1 |} (the first such row; a row holding NaN is the worst), that deviation,
 * and the tolerance it was checked against. The norm comes from a float32 sum, so the deviation
 * itself is accurate to a few units of 2^-24; tolerances below that mean nothing.
 *
 * @param worstRow  index of the worst row, -1 for a matrix without rows
 * @param deviation {@code | ||x_worstRow|| - 1 |}, 0 without rows, NaN when that row holds NaN
 * @param tolerance the largest deviation that counts as on the sphere
 */
public record OnSphereCheck(long worstRow, double deviation, double tolerance) {
    /** True when every row is within the tolerance of unit norm (false when one holds NaN). */
    public boolean onSphere() {
        return deviation <= tolerance;
    }
}
