package dev.gnc.gemm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.Simd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded SGEMM in pure Vector API, blocked as in GotoBLAS: alpha * op(B) is packed into
 * panels of {@link #NR} = 2 vectors by up to {@link #KC}, and a register tile of {@link #MR} rows
 * x NR columns (16 fma accumulators) runs over each panel, broadcasting op(A) straight from its
 * segment. A whole tile that overwrites C stores straight into it; a tile at an edge of C, or one
 * that adds to C (beta != 0, or the second and later KC blocks), goes through a scratch tile.
 * Beta other than 0 and 1 scales C first.
 *
 * <p>A is not packed: reading it in place measured faster at every size tried, most of all for
 * small n, where each element of A serves few panels.
 */
final class VectorGemm extends CheckedGemm {
    static final VectorSpecies<Float> SPECIES = Simd.FLOATS;
    private static final int L = SPECIES.length();
    /** Rows of the register tile: MR x 2 accumulators, 2 B vectors and a broadcast fit 32 registers. */
    static final int MR = 8;
    /** Columns of the register tile and of a packed B panel. */
    static final int NR = 2 * L;
    /** Depth of a packed B block: the k of the cross-entropy blocks (d <= 512) fits in one pass over C. */
    static final int KC = 512;
    /** Rows of A swept per B block: MC x KC floats of A (256 KB) stay in L2 while the panels go by. */
    static final int MC = 128;
    /** Columns of B packed at once: NC x KC floats (512 KB) per thread. */
    static final int NC = 256;

    private static final ValueLayout.OfFloat FLOAT = FloatMatrix.FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Bytes between rows of the scratch tile that edge and accumulating tiles spill to. */
    private static final long SPILL_ROW = (long) NR * Float.BYTES;
    private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

    @Override
    public String name() {
        return "vector";
    }

    @Override
    protected void kernel(GemmShape shape, int m, int n, int k, float alpha, MemorySegment a, int lda,
            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c, ldc);
            return;
        }
        if (beta != 0 && beta != 1) {
            scale(m, n, beta, c, ldc); // then the tiles accumulate onto beta * C
        }
        // element (i, p) of op(A) sits at byte i * aRow + p * aStep; A is read in place, never packed
        long aRow = (long) (shape == GemmShape.AT_B ? 1 : lda) * Float.BYTES;
        long aStep = (long) (shape == GemmShape.AT_B ? lda : 1) * Float.BYTES;
        long cRow = (long) ldc * Float.BYTES;
        Panels panels = PANELS.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] bp = panels.b(roundUp(nc, NR) * kc);
                if (shape == GemmShape.A_BT) {
                    packAcross(b, (long) jc * ldb + pc, ldb, nc, kc, alpha, bp);
                } else {
                    packAlong(b, (long) pc * ldb + jc, ldb, nc, kc, alpha, bp);
                }
                boolean accumulate = beta != 0 || pc > 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int i = ic + ir;
                            int rows = Math.min(MR, mc - ir);
                            long a0 = i * aRow + pc * aStep;
                            long c0 = i * cRow + (long) (jc + jr) * Float.BYTES;
                            if (rows == MR && cols == NR && !accumulate) {
                                tile(a, a0, aRow, aStep, bp, jr * kc, kc, c, c0, cRow, MR);
                            } else {
                                tile(a, a0, aRow, aStep, bp, jr * kc, kc, panels.spill, 0, SPILL_ROW, rows);
                                merge(panels.spill, c, c0, cRow, rows, cols, accumulate);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs alpha * op(B)[pc:pc+kc, jc:jc+count] into panels of NR columns,
     * {@code dst[(j / NR) * kc * NR + p * NR + j % NR]}, for B stored n x k: element (j, p) at
     * float {@code from + j * ld + p}. Columns past {@code count} are zero: the register tile
     * computes them and nobody stores them, and zeros keep stale NaN or subnormals out of its lanes.
     */
    private static void packAcross(MemorySegment b, long from, long ld, int count, int kc, float alpha,
            float[] dst) {
        for (int j0 = 0; j0 < count; j0 += NR) {
            int cols = Math.min(NR, count - j0);
            int panel = j0 * kc;
            for (int j = 0; j < NR; j++) {
                long row = from + (j0 + j) * ld;
                for (int p = 0; p < kc; p++) {
                    dst[panel + p * NR + j] = j < cols ? alpha * b.getAtIndex(FLOAT, row + p) : 0f;
                }
            }
        }
    }

    /** Packs as {@link #packAcross} for B stored k x n: element (j, p) at float {@code from + p * ld + j}. */
    private static void packAlong(MemorySegment b, long from, long ld, int count, int kc, float alpha,
            float[] dst) {
        for (int j0 = 0; j0 < count; j0 += NR) {
            int cols = Math.min(NR, count - j0);
            int panel = j0 * kc;
            for (int j = 0; j < NR; j += L) {
                VectorMask<Float> in = SPECIES.indexInRange(j, cols); // lanes past cols load as zero
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromMemorySegment(SPECIES, b, (from + j0 + j + p * ld) * Float.BYTES, ORDER, in)
                            .mul(alpha).intoArray(dst, panel + p * NR + j);
                }
            }
        }
    }

    /**
     * The register tile: C[0:MR, 0:NR] = op(A)[0:MR, 0:kc] x (B panel at float {@code b0}), alpha
     * being in the panel. Row r of op(A) starts at byte {@code a0 + r * aRow} of {@code a} and
     * steps {@code aStep} bytes along p; rows from {@code rows} on repeat the last one. C starts
     * at byte {@code c0} with {@code cRow} bytes between rows and is only written.
     *
     * <p>A small method of its own, so C2 compiles it once with all 16 accumulators in registers.
     * It must stay under C2's inlining node budget (NodeCountInliningCutoff): past it, C2 stops
     * inlining the segment reads of A, calls them out of line, spills every accumulator around
     * each call and runs 6x slower. Reading C here (to accumulate) or masking its stores was
     * enough to cross it, so edges and accumulation go through {@link #merge} instead.
     */
    private static void tile(MemorySegment a, long a0, long aRow, long aStep, float[] bp, int b0, int kc,
            MemorySegment c, long c0, long cRow, int rows) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00,
                c70 = c00, c71 = c00;
        // rows past the edge re-read the last row: their sums are computed but never stored
        long a1 = a0 + Math.min(1, rows - 1) * aRow;
        long a2 = a0 + Math.min(2, rows - 1) * aRow;
        long a3 = a0 + Math.min(3, rows - 1) * aRow;
        long a4 = a0 + Math.min(4, rows - 1) * aRow;
        long a5 = a0 + Math.min(5, rows - 1) * aRow;
        long a6 = a0 + Math.min(6, rows - 1) * aRow;
        long a7 = a0 + Math.min(7, rows - 1) * aRow;
        for (int p = 0; p < kc; p++) {
            long ap = p * aStep;
            int bi = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1v = FloatVector.fromArray(SPECIES, bp, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a0 + ap));
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a1 + ap));
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a2 + ap));
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a3 + ap));
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a4 + ap));
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a5 + ap));
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a6 + ap));
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(SPECIES, a.get(FLOAT, a7 + ap));
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        long half = (long) L * Float.BYTES;
        c00.intoMemorySegment(c, c0, ORDER);
        c01.intoMemorySegment(c, c0 + half, ORDER);
        c10.intoMemorySegment(c, c0 + cRow, ORDER);
        c11.intoMemorySegment(c, c0 + cRow + half, ORDER);
        c20.intoMemorySegment(c, c0 + 2 * cRow, ORDER);
        c21.intoMemorySegment(c, c0 + 2 * cRow + half, ORDER);
        c30.intoMemorySegment(c, c0 + 3 * cRow, ORDER);
        c31.intoMemorySegment(c, c0 + 3 * cRow + half, ORDER);
        c40.intoMemorySegment(c, c0 + 4 * cRow, ORDER);
        c41.intoMemorySegment(c, c0 + 4 * cRow + half, ORDER);
        c50.intoMemorySegment(c, c0 + 5 * cRow, ORDER);
        c51.intoMemorySegment(c, c0 + 5 * cRow + half, ORDER);
        c60.intoMemorySegment(c, c0 + 6 * cRow, ORDER);
        c61.intoMemorySegment(c, c0 + 6 * cRow + half, ORDER);
        c70.intoMemorySegment(c, c0 + 7 * cRow, ORDER);
        c71.intoMemorySegment(c, c0 + 7 * cRow + half, ORDER);
    }

    /**
     * Moves the first {@code rows x cols} of a spilled tile into C at byte {@code c0}, adding them
     * to C when {@code accumulate}.
     */
    private static void merge(MemorySegment spill, MemorySegment c, long c0, long cRow, int rows, int cols,
            boolean accumulate) {
        long half = (long) L * Float.BYTES;
        VectorMask<Float> left = SPECIES.indexInRange(0, cols);
        VectorMask<Float> right = SPECIES.indexInRange(L, cols);
        for (int r = 0; r < rows; r++) {
            long at = c0 + r * cRow;
            FloatVector v0 = FloatVector.fromMemorySegment(SPECIES, spill, r * SPILL_ROW, ORDER, left);
            FloatVector v1 = FloatVector.fromMemorySegment(SPECIES, spill, r * SPILL_ROW + half, ORDER, right);
            if (accumulate) {
                v0 = v0.add(FloatVector.fromMemorySegment(SPECIES, c, at, ORDER, left));
                v1 = v1.add(FloatVector.fromMemorySegment(SPECIES, c, at + half, ORDER, right));
            }
            v0.intoMemorySegment(c, at, ORDER, left);
            v1.intoMemorySegment(c, at + half, ORDER, right);
        }
    }

    /** C = beta * C, writing zeros without reading C when beta is 0. */
    private static void scale(int m, int n, float beta, MemorySegment c, int ldc) {
        for (int i = 0; i < m; i++) {
            long row = (long) i * ldc * Float.BYTES;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = SPECIES.indexInRange(j, n);
                long at = row + (long) j * Float.BYTES;
                FloatVector v = beta == 0 ? FloatVector.zero(SPECIES)
                        : FloatVector.fromMemorySegment(SPECIES, c, at, ORDER, mask).mul(beta);
                v.intoMemorySegment(c, at, ORDER, mask);
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** Per-thread scratch: the packed B block, grown on demand up to NC x KC floats, and the spill tile. */
    private static final class Panels {
        private float[] b = new float[0];
        final MemorySegment spill = Arena.ofAuto().allocate((long) MR * SPILL_ROW, FloatMatrix.ALIGNMENT);

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
