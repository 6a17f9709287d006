package io.bytekeep.client;

/** Told how many bytes of a transfer are done; the command line draws a bar from it on a terminal. */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void start(String label, long total) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void finish() {
        }
    };

    void start(String label, long total);

    /** Thread-safe: parts report from several threads. */
    void advance(long bytes);

    void finish();
}
