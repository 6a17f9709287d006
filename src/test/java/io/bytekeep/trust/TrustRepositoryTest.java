package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Publication, incremental re-signing, expiry refresh, re-binning and root rotation, checked with the verifier. */
class TrustRepositoryTest {

    private static final String HOURLY = "version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/5";
    private static final String DAILY = "version/v1/diagnosis-keys/country/DE/date/2026-11-20";

    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final InMemoryTrustStateStore store = new InMemoryTrustStateStore();
    /** The "bucket": every file ever published. */
    private final Map<String, byte[]> published = new HashMap<>();

    @Test
    void firstPublicationSignsEveryRoleAndAClientVerifiesTargets() {
        TrustRepository repository = repository(32);
        TrustRepository.Update first = publish(repository, Map.of(HOURLY, content("hourly"), DAILY, content("daily")));

        assertThat(first.signedRoles()).hasSize(32 + 4).contains("00-07", "f8-ff", "bins", "targets", "snapshot", "timestamp");
        assertThat(first.files().stream().map(TrustRepository.MetadataFile::name))
                .startsWith("1.root.json", "root.json").contains("1.80-87.json", "1.bins.json", "1.targets.json")
                .endsWith("1.snapshot.json", "timestamp.json");
        Map<?, ?> root = repository.root().signed();
        assertThat(root.get("spec_version")).isEqualTo("1.0.31");
        assertThat(root.get("consistent_snapshot")).isEqualTo(true);
        assertThat((Map<?, ?>) root.get("keys")).hasSize(4);

        TrustVerifier.Verified hourly = verify(HOURLY, "hourly");
        assertThat(hourly.role()).isEqualTo(new HashBins(32).binFor(HOURLY));
        assertThat(hourly.target().length()).isEqualTo(6);
        assertThat(verify(DAILY, "daily").role()).isEqualTo("48-4f");
        assertThatThrownBy(() -> verify(HOURLY, "tampered")).isInstanceOf(TrustVerifier.Rejected.class)
                .hasMessageContaining("does not match the role");
        assertThatThrownBy(() -> verify("version/v1/unknown", "x")).isInstanceOf(TrustVerifier.Rejected.class)
                .hasMessageContaining("is not a target");

        // what a client learns before the download, to fetch the copy dir/SHA256.name
        TrustVerifier.Verified listed = new TrustVerifier(clock).target(published.get("1.root.json"), published::get, DAILY);
        assertThat(listed.target()).isEqualTo(content("daily"));
        assertThat(listed.role()).isEqualTo("48-4f");
        assertThat(TrustPublisher.hashedKey(DAILY, listed.target().sha256()))
                .isEqualTo("version/v1/diagnosis-keys/country/DE/date/" + listed.target().sha256() + ".2026-11-20");
        assertThatThrownBy(() -> new TrustVerifier(clock).target(published.get("1.root.json"), published::get, "version/v1/unknown"))
                .isInstanceOf(TrustVerifier.Rejected.class).hasMessageContaining("is not a target");
    }

    @Test
    void metadataSignedByTheWrongKeyOrMalformedIsRejected() {
        TrustRepository repository = repository(32);
        publish(repository, Map.of(HOURLY, content("hourly")));
        byte[] genuine = published.get("timestamp.json");

        // a timestamp signed by the snapshot key: below the threshold of the timestamp role
        Metadata timestamp = Metadata.parse(genuine);
        published.put("timestamp.json", Metadata.sign(timestamp.signed(), List.of(TestTrustKeys.signer("snapshot"))).bytes());
        assertThatThrownBy(() -> verify(HOURLY, "hourly")).isInstanceOf(TrustVerifier.Rejected.class)
                .hasMessageContaining("timestamp version 1 is not signed by the threshold");

        // a bin whose content is not the one the snapshot names
        published.put("timestamp.json", genuine);
        String bin = "1." + new HashBins(32).binFor(HOURLY) + ".json";
        byte[] binBytes = published.get(bin);
        String forged = new String(binBytes, StandardCharsets.UTF_8).replace("\"length\":6", "\"length\":7");
        published.put(bin, forged.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verify(HOURLY, "hourly")).isInstanceOf(TrustVerifier.Rejected.class)
                .hasMessageContaining("is not signed by the threshold of its delegated keys");

        published.put(bin, "{\"signed\": {\"_type\": \"targets\"}, \"signatures\": [1]}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verify(HOURLY, "hourly")).isInstanceOf(TrustVerifier.Rejected.class)
                .hasMessageContaining("malformed metadata");
    }

    @Test
    void anUpdateReSignsOnlyTheChangedBinsThenSnapshotAndTimestamp() {
        TrustRepository repository = repository(32);
        publish(repository, Map.of(HOURLY, content("hourly"), DAILY, content("daily")));

        assertThat(repository.planAll(Map.of(HOURLY, content("hourly"), DAILY, content("daily"))).isEmpty()).isTrue();

        String hour6 = "version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/6";
        TrustRepository.Update second = publish(repository,
                Map.of(HOURLY, content("hourly"), DAILY, content("daily, more keys"), hour6, content("six")));
        HashBins bins = new HashBins(32);
        assertThat(second.signedRoles()).containsExactlyInAnyOrder(bins.binFor(DAILY), bins.binFor(hour6), "snapshot",
                "timestamp");
        assertThat(second.files().get(second.files().size() - 1).name()).isEqualTo("timestamp.json");
        assertThat(verify(DAILY, "daily, more keys").snapshotVersion()).isEqualTo(2);
        assertThat(verify(hour6, "six").roleVersion()).isEqualTo(2);

        // removal
        TrustRepository.Update third = publish(repository, Map.of(DAILY, content("daily, more keys"), hour6, content("six")));
        assertThat(third.signedRoles()).containsExactlyInAnyOrder(bins.binFor(HOURLY), "snapshot", "timestamp");
        assertThatThrownBy(() -> verify(HOURLY, "hourly")).hasMessageContaining("is not a target");

        // the stored state is the same repository
        TrustRepository reloaded = repository(32);
        assertThat(reloaded.planAll(Map.of(DAILY, content("daily, more keys"), hour6, content("six"))).isEmpty()).isTrue();
        assertThat(reloaded.size()).isEqualTo(2);
    }

    @Test
    void timeReSignsTheTimestampThenTheBinsBeforeTheyExpire() {
        TrustRepository repository = repository(32);
        publish(repository, Map.of(HOURLY, content("hourly")));

        now = now.plus(Duration.ofHours(11));
        assertThat(repository.plan(Map.of(), List.of()).isEmpty()).isTrue();
        now = now.plus(Duration.ofHours(2));
        assertThat(publish(repository, null).signedRoles()).containsExactly("timestamp");

        now = now.plus(Duration.ofHours(24));
        assertThatThrownBy(() -> verify(HOURLY, "hourly")).isInstanceOf(TrustVerifier.Rejected.class)
                .hasMessageContaining("timestamp version 2 expired");

        now = Instant.parse("2026-11-26T10:00:00Z").plus(Duration.ofDays(4));
        TrustRepository.Update refresh = publish(repository, null);
        assertThat(refresh.signedRoles()).hasSize(32 + 2).contains("snapshot", "timestamp").doesNotContain("bins", "targets");
        assertThat(verify(HOURLY, "hourly").roleVersion()).isEqualTo(2);
    }

    @Test
    void anotherNumberOfBinsRedistributesTheTargets() {
        publish(repository(32), Map.of(HOURLY, content("hourly"), DAILY, content("daily")));
        TrustRepository rebinned = repository(256);
        assertThat(rebinned.size()).isEqualTo(2);
        TrustRepository.Update update = publish(rebinned, null);
        assertThat(update.signedRoles()).hasSize(256 + 3).contains("bins", "85", "snapshot", "timestamp");
        assertThat(store.load()).doesNotContainKey("00-07").containsKey("00");
        assertThat(verify(HOURLY, "hourly").role()).isEqualTo(new HashBins(256).binFor(HOURLY));
    }

    @Test
    void rootRotationIsSignedByTheOldAndTheNewRootKey() {
        publish(repository(32), Map.of(HOURLY, content("hourly")));
        TrustRepository.Keys rotatedKeys = new TrustRepository.Keys(TestTrustKeys.signer("root-2"),
                TestTrustKeys.signer("targets"), TestTrustKeys.signer("snapshot"), TestTrustKeys.signer("timestamp"),
                TestTrustKeys.signer("bins"), TestTrustKeys.signer("bin"));
        TrustRepository rotated = new TrustRepository(new HashBins(32), rotatedKeys,
                TrustRepository.Expiries.defaults(), clock, store);

        assertThatThrownBy(() -> rotated.plan(Map.of(), List.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rotate the root");
        assertThatThrownBy(() -> rotated.planRootRotation(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give the previous root key");

        TrustRepository.Update rotation = rotated.planRootRotation(TestTrustKeys.signer("root"));
        rotation.files().forEach(file -> published.put(file.name(), file.bytes()));
        rotated.commit(rotation);
        assertThat(rotation.files().get(0).name()).isEqualTo("2.root.json");
        assertThat(rotated.root().keyids()).hasSize(2);
        // a client that trusts root 1 walks to root 2 and verifies with the new keys
        assertThat(verify(HOURLY, "hourly").target().length()).isEqualTo(6);
        assertThat(rotated.plan(Map.of(), List.of()).isEmpty()).isTrue();
    }

    @Test
    void anotherInstancesCommitIsLoadedAndAStaleUpdateIsRefused() {
        TrustRepository one = repository(32);
        TrustRepository other = repository(32);
        publish(one, Map.of(HOURLY, content("hourly")));
        TrustRepository.Update stale = one.planAll(Map.of(DAILY, content("daily")));

        // the other instance sees the commit before it plans, and plans on top of it
        TrustRepository.Update next = publish(other, Map.of(HOURLY, content("hourly"), DAILY, content("daily")));
        assertThat(next.signedRoles()).containsExactlyInAnyOrder("48-4f", "snapshot", "timestamp");
        assertThatThrownBy(() -> one.commit(stale)).isInstanceOf(IllegalStateException.class);
        assertThat(one.planAll(Map.of(HOURLY, content("hourly"), DAILY, content("daily"))).isEmpty()).isTrue();
        assertThat(verify(DAILY, "daily").snapshotVersion()).isEqualTo(2);
    }

    private TrustRepository repository(int bins) {
        return new TrustRepository(new HashBins(bins), TestTrustKeys.keys(), TrustRepository.Expiries.defaults(), clock,
                store);
    }

    /** Plans (all targets, or a refresh for null), "uploads" and commits. */
    private TrustRepository.Update publish(TrustRepository repository, Map<String, TargetInfo> targets) {
        TrustRepository.Update update = targets == null ? repository.plan(Map.of(), List.of()) : repository.planAll(targets);
        update.files().forEach(file -> published.put(file.name(), file.bytes()));
        repository.commit(update);
        return update;
    }

    private TrustVerifier.Verified verify(String path, String text) {
        Function<String, byte[]> fetch = published::get;
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        return new TrustVerifier(clock).verify(published.get("1.root.json"), fetch, path, content.length,
                TrustKey.sha256(content));
    }

    private static TargetInfo content(String text) {
        return TargetInfo.of(text.getBytes(StandardCharsets.UTF_8), null);
    }
}
