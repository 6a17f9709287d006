package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShiftingPolicyTest {

    private static final long H = TestKeys.hour("2020-06-02T10:00:00Z");
    private final ShiftingPolicy policy = new ShiftingPolicy(ShiftingPolicy.CWA_SHIFTING_POLICY_THRESHOLD);

    @Test
    void keys139AreHeldBack() {
        List<DiagnosisKey> keys = TestKeys.keys(0, 139, H);
        SmallBundlePolicy.Result result = policy.apply(Map.of(H, keys), H + 1);
        assertThat(result.keysByHour()).containsOnlyKeys(H);
        assertThat(result.keysByHour().get(H)).isEmpty();
        assertThat(result.heldBack()).containsExactlyElementsOf(keys);
    }

    @Test
    void keys140AreReleasedInTheirHour() {
        List<DiagnosisKey> keys = TestKeys.keys(0, 140, H);
        SmallBundlePolicy.Result result = policy.apply(Map.of(H, keys), H + 1);
        assertThat(result.keysByHour().get(H)).containsExactlyElementsOf(keys);
        assertThat(result.heldBack()).isEmpty();
    }

    @Test
    void keysAreShiftedUntilTheThresholdIsReachedAndKeepTheirData() {
        List<DiagnosisKey> first = TestKeys.keys(0, 100, H);
        List<DiagnosisKey> second = TestKeys.keys(100, 39, H + 1);
        List<DiagnosisKey> third = TestKeys.keys(139, 1, H + 3);
        List<DiagnosisKey> fourth = TestKeys.keys(140, 5, H + 4);
        SmallBundlePolicy.Result result = policy.apply(
                Map.of(H, first, H + 1, second, H + 3, third, H + 4, fourth), H + 5);

        assertThat(result.keysByHour()).containsOnlyKeys(H, H + 1, H + 2, H + 3, H + 4);
        assertThat(result.keysByHour().get(H)).isEmpty();
        assertThat(result.keysByHour().get(H + 1)).isEmpty();
        assertThat(result.keysByHour().get(H + 2)).isEmpty();
        List<DiagnosisKey> expected = new ArrayList<>(first);
        expected.addAll(second);
        expected.addAll(third);
        List<DiagnosisKey> released = result.keysByHour().get(H + 3);
        assertThat(released).hasSize(140).containsExactlyElementsOf(expected);
        // shifted keys are the submitted keys, unchanged: same data, same submission hour
        assertThat(released.get(0).keyData()).isEqualTo(TestKeys.keyData(0));
        assertThat(released.get(0).submissionTimestamp()).isEqualTo(H);
        assertThat(released.get(120).submissionTimestamp()).isEqualTo(H + 1);
        assertThat(result.keysByHour().get(H + 4)).isEmpty();
        assertThat(result.heldBack()).containsExactlyElementsOf(fourth);
    }

    @Test
    void hoursFromTheRunOnAreNotLookedAt() {
        SmallBundlePolicy.Result result = policy.apply(Map.of(H, TestKeys.keys(0, 200, H),
                H + 2, TestKeys.keys(200, 200, H + 2)), H + 2);
        assertThat(result.keysByHour()).containsOnlyKeys(H, H + 1);
        assertThat(result.keysByHour().get(H)).hasSize(200);
        assertThat(result.heldBack()).isEmpty();
    }

    @Test
    void noKeysNoHours() {
        SmallBundlePolicy.Result result = policy.apply(Map.of(), H);
        assertThat(result.keysByHour()).isEmpty();
        assertThat(result.heldBack()).isEmpty();
    }

    @Test
    void aSmallThreshold() {
        ShiftingPolicy small = new ShiftingPolicy(2);
        SmallBundlePolicy.Result result = small.apply(Map.of(H, TestKeys.keys(0, 1, H), H + 1, TestKeys.keys(1, 1, H + 1)),
                H + 2);
        assertThat(result.keysByHour().get(H)).isEmpty();
        assertThat(result.keysByHour().get(H + 1)).hasSize(2);
    }
}
