package dev.gnc.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded SGEMM in pure Vector API, blocked as in GotoBLAS: op(B) is packed into panels
 * of {@code NR = 2} vectors by {@code kc}, op(A) into panels of {@link #MR} rows by {@code kc},
 * and a register tile of {@code MR x NR} accumulators runs over each pair of panels.
 */
final class VectorGemm extends CheckedGemm {
    /** System property forcing a narrower vector width in bits (64 … the preferred width), for tests. */
    static final String BITS_PROPERTY = "gnc.vector.bits";

    static final VectorSpecies<Float> SPECIES = species();
    private static final int L = SPECIES.length();
    /** Rows of the register tile: MR x 2 accumulators plus 2 B vectors and a broadcast fit 32 registers. */
    static final int MR = 8;
    static final int NR = 2 * L;
    /** Depth of one packed block: an NR x KC panel of B (32 KB at 512 bits) stays in L1. */
    static final int KC = 256;
    /** Rows of A packed at once: MC x KC floats (512 KB) stay in L2. */
    static final int MC = 512;
    /** Columns of B packed at once. */
    static final int NC = 1024;

    private static final ValueLayout.OfFloat FLOAT = FloatMatrix.FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

    private static VectorSpecies<Float> species() {
        String value = System.getProperty(BITS_PROPERTY);
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
        // element (i, p) of op(A) and (p, j) of op(B) sit at i * aRow + p * aCol and p * bRow + j * bCol
        long aRow = shape == GemmShape.AT_B ? 1 : lda;
        long aCol = shape == GemmShape.AT_B ? lda : 1;
        long bRow = shape == GemmShape.A_BT ? 1 : ldb;
        long bCol = shape == GemmShape.A_BT ? ldb : 1;
        Panels panels = PANELS.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] bp = panels.b(roundUp(nc, NR) * kc);
                pack(b, pc * bRow + jc * bCol, bCol, bRow, nc, kc, NR, bp);
                float betaNow = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    float[] ap = panels.a(roundUp(mc, MR) * kc);
                    pack(a, ic * aRow + pc * aCol, aRow, aCol, mc, kc, MR, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        for (int ir = 0; ir < mc; ir += MR) {
                            long c0 = ((long) (ic + ir) * ldc + jc + jr) * Float.BYTES;
                            tile(ap, ir * kc, bp, jr * kc, kc, panels.tile, c, c0, (long) ldc * Float.BYTES,
                                    Math.min(MR, mc - ir), Math.min(NR, nc - jr), alpha, betaNow);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs {@code count x kc} elements, element (r, p) at {@code from + r * rStride + p * pStride},
     * into panels of {@code width} rows: {@code dst[(r / width) * kc * width + p * width + r % width]},
     * the rows past {@code count} zero: the register tile computes them, nobody stores them, and
     * zeros keep stale NaN or subnormals out of its lanes.
     */
    private static void pack(MemorySegment src, long from, long rStride, long pStride, int count, int kc, int width,
            float[] dst) {
        for (int r0 = 0; r0 < count; r0 += width) {
            int rows = Math.min(width, count - r0);
            int panel = r0 * kc;
            for (int p = 0; p < kc; p++) {
                long at = from + r0 * rStride + p * pStride;
                int d = panel + p * width;
                for (int r = 0; r < rows; r++) {
                    dst[d + r] = src.getAtIndex(FLOAT, at + r * rStride);
                }
                for (int r = rows; r < width; r++) {
                    dst[d + r] = 0f;
                }
            }
        }
    }

    /**
     * The register tile: C[0:rows, 0:cols] = alpha * (A panel x B panel) + beta * C, with C at byte
     * {@code c0} and {@code ldc} bytes between rows. A small method of its own, so C2 compiles it
     * once with all accumulators in registers. They leave through the heap array {@code tile}:
     * handing them to a method C2 does not inline would box every vector.
     */
    private static void tile(float[] ap, int a0, float[] bp, int b0, int kc, float[] tile, MemorySegment c, long c0,
            long ldc, int rows, int cols, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00,
                c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = a0 + p * MR;
            int bi = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1v = FloatVector.fromArray(SPECIES, bp, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(SPECIES, ap[ai + 6]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(SPECIES, ap[ai + 7]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        update(tile, c, c0, ldc, rows, cols, alpha, beta);
    }

    /** C = alpha * tile + beta * C on the first rows x cols of the tile; C is not read when beta is 0. */
    private static void update(float[] tile, MemorySegment c, long c0, long ldc, int rows, int cols, float alpha,
            float beta) {
        FloatVector alphaV = FloatVector.broadcast(SPECIES, alpha);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < NR; j += L) {
                VectorMask<Float> mask = SPECIES.indexInRange(j, cols);
                long at = c0 + r * ldc + (long) j * Float.BYTES;
                FloatVector acc = FloatVector.fromArray(SPECIES, tile, r * NR + j);
                FloatVector v = beta == 0 ? acc.mul(alpha)
                        : acc.fma(alphaV, FloatVector.fromMemorySegment(SPECIES, c, at, ORDER, mask).mul(beta));
                v.intoMemorySegment(c, at, ORDER, mask);
            }
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

    /** Per-thread packing buffers, grown on demand up to MC x KC and NC x KC floats. */
    private static final class Panels {
        private float[] a = new float[0];
        private float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
