package io.bytekeep.distribution;

/**
 * The answer to an accepted submission: how many keys it carried and how many of them were new. Keys that were
 * stored before (same key data) are not stored again, so a repeated submission answers {@code stored: 0}.
 */
public record SubmissionReceipt(int received, int stored) {
}
