package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.List;

import io.bytekeep.platform.Problem;

/**
 * Route step: a submission passes whole or not at all. It must carry at least one key, pass
 * {@link SubmissionValidator} (at most N keys, no key data twice) and every key must pass
 * {@link DiagnosisKeyValidator}; otherwise one 400 names every violation (the first {@value #MAX_REPORTED}).
 */
public final class SubmissionChecker {

    static final int MAX_REPORTED = 20;

    private final SubmissionValidator submissionValidator;
    private final DiagnosisKeyValidator keyValidator;

    public SubmissionChecker(SubmissionValidator submissionValidator, DiagnosisKeyValidator keyValidator) {
        this.submissionValidator = submissionValidator;
        this.keyValidator = keyValidator;
    }

    public Submission check(Submission submission) {
        List<DiagnosisKey> keys = submission.keys();
        List<String> violations = new ArrayList<>();
        if (keys.isEmpty()) {
            violations.add("a submission must carry at least one key");
        }
        violations.addAll(submissionValidator.violations(keys));
        for (int i = 0; i < keys.size(); i++) {
            String index = "keys[" + i + "]: ";
            keyValidator.violations(keys.get(i)).forEach(violation -> violations.add(index + violation));
        }
        if (!violations.isEmpty()) {
            String detail = String.join("; ", violations.subList(0, Math.min(MAX_REPORTED, violations.size())));
            if (violations.size() > MAX_REPORTED) {
                detail += "; and " + (violations.size() - MAX_REPORTED) + " more";
            }
            throw new Problem(400, "Invalid submission", "nothing was stored: " + detail);
        }
        return submission;
    }
}
