package dev.gnc.loss;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One call of the fused cross-entropy on validated inputs: a forward pass over all class tiles
 * (online log-sum-exp), a fixed-order merge, and for gradients a second pass that recomputes each
 * logits tile and consumes it as dZ.
 *
 * <p>Threads: the classes are cut into {@code T} contiguous runs of tiles, one task each. A task
 * owns its classes' rows of dW and db; its statistics per sample and its share of dH go to
 * per-task slots that are merged in task order, so the result depends on T but not on which
 * thread ran which task.
 */
final class FusedCrossEntropy {
    private final CrossEntropy ce;
    private final FloatMatrix w;
    private final FloatMatrix bias;
    private final FloatMatrix h;
    private final Labels y;
    private final CrossEntropyOutputs out;
    private final int k;
    private final int d;
    private final int n;
    private final int nb;
    private final int kb;
    private final int tiles;
    private final int tasks;
    private final boolean gemmOnly; // the roofline: the same GEMMs on the same tiles, no epilogue

    // per sample, float64: target logit, its class weight, then the merged statistics
    private final double[] targetLogit;
    private final double[] targetWeight;
    private final double[] lse;
    // sum_{j != y} exp(z_j - m), 0 for ignored samples, with m the larger of z_y and the forward's
    // shift: the off-target max or up to 64 below it (LogitTile.SUM_LIMIT), so off may exceed K
    private final double[] offTarget;
    private final double[] onTarget;  // exp(z_y - m)
    private final boolean[] ignored;
    // set by the forward merge, read by the backward pass
    private double smoothingWeightTotal; // sum_k c_k, when label smoothing is on
    private double reductionScale;       // 1 / sum of target weights for MEAN, else 1

    FusedCrossEntropy(CrossEntropy ce, FloatMatrix w, FloatMatrix bias, FloatMatrix h, Labels y,
            CrossEntropyOutputs out, boolean gemmOnly) {
        this.ce = ce;
        this.gemmOnly = gemmOnly;
        this.w = w;
        this.bias = bias;
        this.h = h;
        this.y = y;
        this.out = out;
        this.k = (int) w.rows();
        this.d = w.cols();
        this.n = (int) h.rows();
        this.nb = Math.min(ce.blockRows, Math.max(n, 1));
        this.kb = Math.min(ce.tileClasses, k);
        this.tiles = (k + kb - 1) / kb;
        this.tasks = Math.min(ce.pool.threads(), tiles);
        this.targetLogit = new double[n];
        this.targetWeight = new double[n];
        this.lse = new double[n];
        this.offTarget = new double[n];
        this.onTarget = new double[n];
        this.ignored = new boolean[n];
    }

    private int firstTile(int task) {
        return (int) ((long) task * tiles / tasks);
    }

    private double classWeight(long c) {
        return ce.classWeights == null ? 1 : CrossEntropyValidation.element(ce.classWeights, c);
    }

    CrossEntropyResult run(boolean backward) {
        try (Arena arena = ce.workspace.get()) {
            prepareTargets();
            ForwardPartial[] partials = new ForwardPartial[tasks];
            ce.pool.run(tasks, t -> partials[t] = forwardTask(t, arena));
            CrossEntropyResult result = finish(partials);
            if (backward && out.wantsGradients()) {
                backward(arena);
            }
            return result;
        }
    }

    /** Target logits in float64, straight from the rows, so they do not depend on the tiling. */
    private void prepareTargets() {
        for (int i = 0; i < n; i++) {
            int label = y.get(i);
            ignored[i] = label == ce.ignoreIndex;
            if (ignored[i]) {
                continue;
            }
            double dot = 0;
            for (int p = 0; p < d; p++) {
                dot += (double) h.get(i, p) * w.get(label, p);
            }
            targetLogit[i] = ce.tau * dot + (bias == null ? 0 : CrossEntropyValidation.element(bias, label));
            targetWeight[i] = classWeight(label);
        }
    }

    /** What one task learnt about every sample from its classes. */
    private static final class ForwardPartial {
        final double[] max;
        final double[] sum; // sum exp(z - max) over the task's classes, the target left out
        final int[] above;  // logits ranked above the target
        double[] classSum;  // sum_k c_k w_k over the task's classes, for label smoothing
        double biasSum;     // sum_k c_k b_k

        ForwardPartial(int n, boolean countRanks) {
            max = new double[n];
            sum = new double[n];
            above = countRanks ? new int[n] : null;
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }
    }

    private ForwardPartial forwardTask(int task, Arena arena) {
        ForwardPartial partial = new ForwardPartial(n, ce.topK > 0);
        FloatMatrix tile = FloatMatrix.allocate(arena, nb, kb);
        MemorySegment ts = tile.segment();
        if (ce.labelSmoothing > 0) {
            partial.classSum = new double[d];
        }
        for (int t = firstTile(task); t < firstTile(task + 1); t++) {
            int k0 = t * kb;
            int kt = Math.min(kb, k - k0);
            FloatMatrix wTile = w.rows(k0, k0 + kt);
            if (partial.classSum != null) {
                accumulateClassSum(partial, k0, kt);
            }
            for (int b0 = 0; b0 < n; b0 += nb) {
                int rows = Math.min(nb, n - b0);
                ce.gemm.abt((float) ce.tau, h.rows(b0, b0 + rows), wTile, 0f, tile.block(0, 0, rows, kt));
                for (int r = 0; r < rows && !gemmOnly; r++) {
                    long at = tile.byteOffset(r, 0);
                    int i = b0 + r;
                    if (bias != null) {
                        LogitTile.addBias(ts, at, kt, bias.segment(), (long) k0 * Float.BYTES);
                    }
                    int target = ignored[i] ? -1 : y.get(i) - k0;
                    if (target >= 0 && target < kt) {
                        LogitTile.set(ts, at, target, Float.NEGATIVE_INFINITY); // summed apart, exactly
                    }
                    if (partial.above != null && !ignored[i]) {
                        float zy = (float) targetLogit[i];
                        int split = Math.clamp(target, 0, kt); // ties rank above the target only from smaller indices
                        partial.above[i] += LogitTile.countAbove(ts, at, 0, split, zy, true)
                                + LogitTile.countAbove(ts, at, split, kt, zy, false);
                    }
                    // shifted by the running max of the task's earlier tiles where it can be, which
                    // spares a pass over the row (forward 101 -> 93 ms at K = 2e5, N = 1024, d = 64)
                    float shift = (float) partial.max[i];
                    float sum = shift == Float.NEGATIVE_INFINITY ? Float.NaN : LogitTile.sumExp(ts, at, kt, shift);
                    if (Float.isNaN(sum)) { // the row's first tile here, or one far above the running max
                        shift = LogitTile.max(ts, at, kt);
                        if (shift == Float.NEGATIVE_INFINITY) {
                            continue; // the tile held only the target
                        }
                        sum = LogitTile.sumExp(ts, at, kt, shift);
                    }
                    merge(partial.max, partial.sum, i, shift, sum);
                }
            }
        }
        return partial;
    }

    private void accumulateClassSum(ForwardPartial partial, int k0, int kt) {
        for (int c = k0; c < k0 + kt; c++) {
            double weight = classWeight(c);
            for (int p = 0; p < d; p++) {
                partial.classSum[p] += weight * w.get(c, p);
            }
            if (bias != null) {
                partial.biasSum += weight * CrossEntropyValidation.element(bias, c);
            }
        }
    }

    /** Folds {@code sum exp(z - max2) = sum2} into the running (max, sum) of sample i. */
    private static void merge(double[] max, double[] sum, int i, double max2, double sum2) {
        if (sum2 == 0) {
            return;
        }
        double max1 = max[i];
        if (max2 > max1) {
            sum[i] = sum[i] * Math.exp(max1 - max2) + sum2;
            max[i] = max2;
        } else {
            sum[i] += sum2 * Math.exp(max2 - max1);
        }
    }

    private CrossEntropyResult finish(ForwardPartial[] partials) {
        double[] max = new double[n];
        double[] sum = new double[n];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        double[] classSum = ce.labelSmoothing > 0 ? new double[d] : null;
        double biasSum = 0;
        for (ForwardPartial p : partials) {
            for (int i = 0; i < n; i++) {
                merge(max, sum, i, p.max[i], p.sum[i]);
            }
            if (classSum != null) {
                for (int q = 0; q < d; q++) {
                    classSum[q] += p.classSum[q];
                }
                biasSum += p.biasSum;
            }
        }
        double weightTotal = 0;
        for (int c = 0; c < k && ce.labelSmoothing > 0; c++) {
            weightTotal += classWeight(c);
        }
        double eps = ce.labelSmoothing;
        double lossSum = 0;
        double lseSum = 0;
        double weightSum = 0;
        long samples = 0;
        long top1 = 0;
        long topK = 0;
        for (int i = 0; i < n; i++) {
            double perSample = 0;
            if (ignored[i]) {
                lse[i] = max[i] + Math.log(sum[i]);
            } else {
                double zy = targetLogit[i];
                double m = Math.max(max[i], zy);
                double off = sum[i] == 0 ? 0 : sum[i] * Math.exp(max[i] - m);
                double on = Math.exp(zy - m);
                offTarget[i] = off;
                onTarget[i] = on;
                lse[i] = m + Math.log(off + on);
                // lse - z_y without cancellation: log1p when the target dominates
                double nll = off <= on ? Math.log1p(off / on) : Math.log(off + on) - (zy - m);
                perSample = (1 - eps) * targetWeight[i] * nll + ce.zLoss * lse[i] * lse[i];
                if (eps > 0) {
                    double zbar = biasSum;
                    for (int q = 0; q < d; q++) {
                        zbar += ce.tau * h.get(i, q) * classSum[q];
                    }
                    perSample += eps / k * (weightTotal * lse[i] - zbar);
                }
                weightSum += targetWeight[i];
                samples++;
                lseSum += lse[i];
                if (ce.topK > 0) {
                    int rank = 0;
                    for (ForwardPartial p : partials) {
                        rank += p.above[i];
                    }
                    top1 += rank < 1 ? 1 : 0;
                    topK += rank < ce.topK ? 1 : 0;
                }
            }
            lossSum += perSample;
            if (out.perSampleLoss != null) {
                out.perSampleLoss.segment().setAtIndex(FloatMatrix.FLOAT, i, (float) perSample);
            }
            if (out.lse != null) {
                out.lse.segment().setAtIndex(FloatMatrix.FLOAT, i, (float) lse[i]);
            }
        }
        this.smoothingWeightTotal = weightTotal;
        this.reductionScale = switch (ce.reduction) {
            case MEAN -> weightSum == 0 ? 0 : 1 / weightSum;
            case SUM, NONE -> 1;
        };
        double loss = ce.reduction == Reduction.MEAN ? lossSum * reductionScale : lossSum;
        return new CrossEntropyResult(loss, samples == 0 ? 0 : lseSum / samples, weightSum, samples,
                ce.topK > 0 ? top1 : -1, ce.topK > 0 ? topK : -1);
    }

    /** The gradient of the reduced loss with respect to sample i's per-sample loss. */
    private double rowScale(int i) {
        if (ignored[i]) {
            return 0;
        }
        double upstream = out.upstreamPerSample != null
                ? out.upstreamPerSample.segment().getAtIndex(FloatMatrix.FLOAT, i) : out.upstream;
        return reductionScale * upstream;
    }

    private void backward(Arena arena) {
        double eps = ce.labelSmoothing;
        float[] expScale = new float[n];  // r_i ((1 - eps) c_y + eps C / K + 2 zeta lse_i)
        float[] targetGradient = new float[n];
        float[] offsetScale = new float[n]; // r_i eps / K
        for (int i = 0; i < n; i++) {
            double r = rowScale(i);
            if (r == 0) {
                continue;
            }
            double cy = targetWeight[i];
            double pTarget = onTarget[i] / (offTarget[i] + onTarget[i]);
            double pTargetMinusOne = -offTarget[i] / (offTarget[i] + onTarget[i]); // no cancellation near 1
            expScale[i] = (float) (r * ((1 - eps) * cy + eps * smoothingWeightTotal / k + 2 * ce.zLoss * lse[i]));
            targetGradient[i] = (float) (r * ((1 - eps) * cy * pTargetMinusOne
                    + eps / k * (smoothingWeightTotal * pTarget - cy) + 2 * ce.zLoss * lse[i] * pTarget));
            offsetScale[i] = (float) (r * eps / k);
        }
        FloatMatrix[] dhPartials = new FloatMatrix[tasks];
        ce.pool.run(tasks, t -> dhPartials[t] = backwardTask(t, arena, expScale, targetGradient, offsetScale));
        if (out.featureGradient != null) {
            mergeFeatureGradient(dhPartials);
        }
    }

    private FloatMatrix backwardTask(int task, Arena arena, float[] expScale, float[] targetGradient,
            float[] offsetScale) {
        FloatMatrix tile = FloatMatrix.allocate(arena, nb, kb);
        MemorySegment ts = tile.segment();
        FloatMatrix dhPartial = out.featureGradient == null ? null : FloatMatrix.allocate(arena, n, d);
        boolean smoothing = ce.labelSmoothing > 0;
        FloatMatrix offsets = smoothing ? FloatMatrix.allocate(arena, 1, kb) : null;
        FloatMatrix columnSums = out.biasGradient == null ? null : FloatMatrix.allocate(arena, 1, kb);
        double[] biasGradient = out.biasGradient == null ? null : new double[kb];
        FloatMatrix dw = out.classifierGradient;
        for (int t = firstTile(task); t < firstTile(task + 1); t++) {
            int k0 = t * kb;
            int kt = Math.min(kb, k - k0);
            FloatMatrix wTile = w.rows(k0, k0 + kt);
            if (smoothing) {
                for (int c = 0; c < kt; c++) {
                    offsets.set(0, c, (float) classWeight(k0 + c));
                }
            }
            if (biasGradient != null) {
                Arrays.fill(biasGradient, 0);
            }
            if (dw != null && !out.accumulate) {
                dw.rows(k0, k0 + kt).fill(0f);
            }
            for (int b0 = 0; b0 < n; b0 += nb) {
                int rows = Math.min(nb, n - b0);
                FloatMatrix dz = tile.block(0, 0, rows, kt);
                FloatMatrix hBlock = h.rows(b0, b0 + rows);
                ce.gemm.abt((float) ce.tau, hBlock, wTile, 0f, dz);
                for (int r = 0; r < rows && !gemmOnly; r++) {
                    long at = tile.byteOffset(r, 0);
                    int i = b0 + r;
                    if (expScale[i] == 0 && offsetScale[i] == 0) {
                        LogitTile.zero(ts, at, kt);
                        continue;
                    }
                    if (bias != null) {
                        LogitTile.addBias(ts, at, kt, bias.segment(), (long) k0 * Float.BYTES);
                    }
                    LogitTile.softmaxGradient(ts, at, kt, (float) lse[i], expScale[i],
                            smoothing ? offsets.segment() : null, offsetScale[i]);
                    int target = y.get(i) - k0;
                    if (target >= 0 && target < kt) {
                        LogitTile.set(ts, at, target, targetGradient[i]);
                    }
                }
                if (dw != null) {
                    ce.gemm.atb((float) ce.tau, dz, hBlock, 1f, dw.rows(k0, k0 + kt));
                }
                if (dhPartial != null) {
                    ce.gemm.ab((float) ce.tau, dz, wTile, 1f, dhPartial.rows(b0, b0 + rows));
                }
                if (biasGradient != null && !gemmOnly) {
                    columnSums.fill(0f);
                    for (int r = 0; r < rows; r++) {
                        LogitTile.add(ts, tile.byteOffset(r, 0), columnSums.segment(), 0, kt);
                    }
                    for (int c = 0; c < kt; c++) {
                        biasGradient[c] += columnSums.get(0, c);
                    }
                }
            }
            if (biasGradient != null) {
                MemorySegment db = out.biasGradient.segment();
                for (int c = 0; c < kt; c++) {
                    long at = k0 + c;
                    float previous = out.accumulate ? db.getAtIndex(FloatMatrix.FLOAT, at) : 0f;
                    db.setAtIndex(FloatMatrix.FLOAT, at, (float) (previous + biasGradient[c]));
                }
            }
        }
        return dhPartial;
    }

    /** dH (=|+=) the task partials, summed in task order; rows split over the pool. */
    private void mergeFeatureGradient(FloatMatrix[] partials) {
        FloatMatrix dh = out.featureGradient;
        int chunk = 256;
        int chunks = (n + chunk - 1) / chunk;
        ce.pool.run(chunks, c -> {
            for (int i = c * chunk; i < Math.min(n, (c + 1) * chunk); i++) {
                long at = dh.byteOffset(i, 0);
                if (!out.accumulate) {
                    LogitTile.zero(dh.segment(), at, d);
                }
                for (FloatMatrix p : partials) {
                    LogitTile.add(p.segment(), p.byteOffset(i, 0), dh.segment(), at, d);
                }
            }
        });
    }
}
