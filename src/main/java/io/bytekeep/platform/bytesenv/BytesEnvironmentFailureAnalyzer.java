package io.bytekeep.platform.bytesenv;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The start-up report for Bytes' environment variables that cannot be taken: each one and why, without a stack trace. */
public class BytesEnvironmentFailureAnalyzer extends AbstractFailureAnalyzer<BytesEnvironment.BytesEnvironmentException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BytesEnvironment.BytesEnvironmentException cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct these variables, or set the Bytekeep setting instead "
                + "(docs/API.md, \"Bytes' environment variables\", maps each to its BYTEKEEP_* name).", cause);
    }
}
