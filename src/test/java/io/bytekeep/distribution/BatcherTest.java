package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatcherTest {

    @Test
    void splitsIntoNumberedFilesOfAtMostTheMaximum() {
        List<DiagnosisKey> keys = TestKeys.keys(0, 7, 1);
        List<Batcher.Batch> batches = new Batcher(3).split(keys);
        assertThat(batches).extracting(Batcher.Batch::batchNum).containsExactly(1, 2, 3);
        assertThat(batches).extracting(Batcher.Batch::batchSize).containsOnly(3);
        assertThat(batches).extracting(batch -> batch.keys().size()).containsExactly(3, 3, 1);
        assertThat(batches.get(0).keys()).containsExactlyElementsOf(keys.subList(0, 3));
        assertThat(batches.get(2).keys()).containsExactly(keys.get(6));
    }

    @Test
    void exactlyTheMaximumIsOneFile() {
        assertThat(new Batcher(3).split(TestKeys.keys(0, 3, 1))).singleElement()
                .satisfies(batch -> assertThat(batch.batchSize()).isEqualTo(1));
    }

    @Test
    void theInputOrderDoesNotMatter() {
        List<DiagnosisKey> keys = new ArrayList<>(TestKeys.keys(0, 10, 1));
        List<Batcher.Batch> inOrder = new Batcher(4).split(keys);
        Collections.shuffle(keys, new Random(7));
        assertThat(new Batcher(4).split(keys)).isEqualTo(inOrder);
    }

    @Test
    void noKeysNoFiles() {
        assertThat(new Batcher(3).split(List.of())).isEmpty();
    }

    @Test
    void cwaDefault600000Plus1KeysAreTwoFiles() {
        List<DiagnosisKey> keys = TestKeys.keys(0, Batcher.CWA_MAXIMUM_KEYS_PER_BUNDLE + 1, 1);
        List<Batcher.Batch> batches = new Batcher(Batcher.CWA_MAXIMUM_KEYS_PER_BUNDLE).split(keys);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).keys()).hasSize(600_000);
        assertThat(batches.get(1).keys()).hasSize(1);
        assertThat(batches.get(1).keys().get(0)).isEqualTo(keys.get(600_000));
        assertThat(batches).extracting(Batcher.Batch::batchSize).containsOnly(2);
    }

    @Test
    void theMaximumMustBePositive() {
        assertThatThrownBy(() -> new Batcher(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
