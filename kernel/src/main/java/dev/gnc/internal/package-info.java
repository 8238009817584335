/**
 * Not API: Vector API helpers and argument checks that several kernel packages share (the
 * vector species, the inlined exponential, row sweeps, finite scans, row chunking, shape and arena
 * checks). Its classes are public only because Java needs them to be for the packages beside it;
 * they may change or disappear in any release, and code outside gnc must not use them. It uses
 * only {@link dev.gnc.core}.
 */
package dev.gnc.internal;
