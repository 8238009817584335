/**
 * The fused softmax cross-entropy: loss and gradients over millions of classes without the
 * {@code N x K} logits ({@link dev.gnc.loss.CrossEntropy}), its options, outputs and result, and
 * the tile epilogue underneath. Uses {@link dev.gnc.gemm} and {@link dev.gnc.core}.
 */
package dev.gnc.loss;
