/**
 * Training the spherical unconstrained feature model ({@link dev.gnc.ufm.UfmTraining}) and
 * searching for softmax codes ({@link dev.gnc.ufm.CodeSearch}): the top of the kernel, which may
 * use every package below it.
 */
package dev.gnc.ufm;
