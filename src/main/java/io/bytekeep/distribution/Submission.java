package io.bytekeep.distribution;

import java.util.List;

/**
 * One key submission as read from a request or a queue message: its keys (submission timestamp already set by
 * the server) and whether the key holder agreed to share them with other countries (CWA's consent to federation).
 */
public record Submission(List<DiagnosisKey> keys, boolean consentToFederation) {

    public Submission {
        keys = List.copyOf(keys);
    }
}
