package io.bytekeep.distribution;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.bytekeep.platform.Problem;

/**
 * Checks a submission as a whole: at most {@code maximumKeysPerSubmission} keys and no key data twice.
 * Each key on its own is {@link DiagnosisKeyValidator}'s business.
 */
public final class SubmissionValidator {

    private final int maximumKeysPerSubmission;

    /** @param maximumKeysPerSubmission the largest number of keys one submission may carry, {@code >= 1} */
    public SubmissionValidator(int maximumKeysPerSubmission) {
        if (maximumKeysPerSubmission < 1) {
            throw new IllegalArgumentException("maximumKeysPerSubmission must be >= 1, was " + maximumKeysPerSubmission);
        }
        this.maximumKeysPerSubmission = maximumKeysPerSubmission;
    }

    /** Every violation of the submission, one message each; empty when it is acceptable. */
    public List<String> violations(List<DiagnosisKey> keys) {
        List<String> violations = new ArrayList<>();
        if (keys.size() > maximumKeysPerSubmission) {
            violations.add("a submission may carry at most " + maximumKeysPerSubmission + " keys, this one has "
                    + keys.size());
        }
        Set<ByteBuffer> seen = new HashSet<>();
        Set<ByteBuffer> reported = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            ByteBuffer data = ByteBuffer.wrap(keys.get(i).keyData());
            if (!seen.add(data) && reported.add(data)) {
                // the first 4 bytes are enough to find the key in the submission; the whole key stays out of messages
                byte[] bytes = data.array();
                String prefix = HexFormat.of().formatHex(bytes, 0, Math.min(4, bytes.length));
                violations.add("key data must be unique within a submission: the key starting " + prefix
                        + " occurs more than once (again at index " + i + ")");
            }
        }
        return List.copyOf(violations);
    }

    /** The keys themselves when acceptable; otherwise a 400 {@link Problem} listing every violation. */
    public List<DiagnosisKey> requireValid(List<DiagnosisKey> keys) {
        List<String> violations = violations(keys);
        if (!violations.isEmpty()) {
            throw new Problem(400, "Invalid submission", String.join("; ", violations));
        }
        return keys;
    }
}
