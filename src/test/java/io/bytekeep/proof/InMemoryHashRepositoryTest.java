package io.bytekeep.proof;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryHashRepositoryTest {

    @Test
    void verifiesWhatItStoredAndNothingElse() {
        InMemoryHashRepository repository = new InMemoryHashRepository(10);
        String link = repository.store("sha512:abc");
        assertThat(repository.verify(link, "sha512:abc")).isTrue();
        assertThat(repository.verify(link, "sha512:abd")).isFalse();
        assertThat(repository.verify("unknown", "sha512:abc")).isFalse();
        assertThat(repository.signingProviderUrl()).isEmpty();
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        InMemoryHashRepository repository = new InMemoryHashRepository(2);
        String first = repository.store("sha512:1");
        String second = repository.store("sha512:2");
        String third = repository.store("sha512:3");
        assertThat(repository.verify(first, "sha512:1")).isFalse();
        assertThat(repository.verify(second, "sha512:2")).isTrue();
        assertThat(repository.verify(third, "sha512:3")).isTrue();
    }
}
