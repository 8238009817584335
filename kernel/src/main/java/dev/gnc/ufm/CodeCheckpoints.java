package dev.gnc.ufm;

import java.lang.foreign.Arena;

/**
 * Where a {@link CodeSearch} keeps its restarts' checkpoints. Each restart offers its state after
 * every step from its own thread; the store decides which offers to write (by elapsed time, say),
 * but must write those marked final: a restart that stops or ends.
 */
public interface CodeCheckpoints {
    /**
     * Restart r's saved state, its matrices in {@code arena}, or null when it has none (it starts
     * afresh).
     */
    CodeRestartState load(int restart, Arena arena);

    /** Restart {@code state.restart()} after a step; {@code last} when it stops or ends. */
    void offer(CodeRestartState state, boolean last);

    /** No checkpoints: every restart starts afresh and nothing is kept. */
    CodeCheckpoints NONE = new CodeCheckpoints() {
        @Override
        public CodeRestartState load(int restart, Arena arena) {
            return null;
        }

        @Override
        public void offer(CodeRestartState state, boolean last) {
        }
    };
}
