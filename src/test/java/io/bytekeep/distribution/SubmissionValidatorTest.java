package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmissionValidatorTest {

    @Test
    void atMostTheConfiguredNumberOfKeys() {
        SubmissionValidator validator = new SubmissionValidator(14);
        assertThat(validator.violations(TestKeys.keys(0, 14, 1))).isEmpty();
        assertThat(validator.violations(TestKeys.keys(0, 15, 1)))
                .containsExactly("a submission may carry at most 14 keys, this one has 15");
    }

    @Test
    void noKeyDataTwice() {
        List<DiagnosisKey> keys = new ArrayList<>(TestKeys.keys(0, 3, 1));
        keys.add(TestKeys.key(1, 7)); // same key data as keys[1], other metadata
        keys.add(TestKeys.key(1, 8));
        assertThat(new SubmissionValidator(14).violations(keys)).containsExactly(
                "key data must be unique within a submission: the key starting 00000000 occurs more than once "
                        + "(again at index 3)");
        assertThatThrownBy(() -> new SubmissionValidator(14).requireValid(keys))
                .isInstanceOf(Problem.class).hasMessageContaining("unique");
    }

    @Test
    void theMaximumMustBePositive() {
        assertThatThrownBy(() -> new SubmissionValidator(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
