package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/** Which files of the bucket are superseded, and since when, by the names and times of a listing. */
class SupersededFilesTest {

    private static final String PATH = "version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/5";
    private static final String GONE = "version/v1/diagnosis-keys/country/DE/date/2026-11-06";
    private final Instant t0 = Instant.parse("2026-11-26T08:00:00Z");
    private final Instant t1 = Instant.parse("2026-11-26T09:00:00Z");

    @Test
    void oldVersionsAndCopiesGoOnceSupersededForTheGracePeriodRootsStay() {
        TrustRepository repository = new TrustRepository(new HashBins(32), TestTrustKeys.keys(),
                TrustRepository.Expiries.defaults(), Clock.fixed(t0, ZoneOffset.UTC), new InMemoryTrustStateStore());
        Map<String, Instant> bucket = new HashMap<>();
        TargetInfo first = info("first");
        TargetInfo gone = info("gone");
        publish(repository, Map.of(PATH, first, GONE, gone), bucket, t0);
        TargetInfo second = info("second");
        publish(repository, Map.of(PATH, second), bucket, t1);
        String bin = new HashBins(32).binFor(PATH);
        String oldCopy = TrustPublisher.hashedKey(PATH, first.sha256());
        String goneCopy = TrustPublisher.hashedKey(GONE, gone.sha256());
        assertThat(bucket).containsKeys(oldCopy, goneCopy, TrustPublisher.hashedKey(PATH, second.sha256()),
                "tuf/1." + bin + ".json", "tuf/2." + bin + ".json", "tuf/1.snapshot.json", "tuf/1.root.json");

        SupersededFiles files = new SupersededFiles(repository, "tuf", new NoS3(), "b", java.time.Duration.ofHours(1),
                Clock.systemUTC());
        // superseded at t1 (the copy of GONE was written at t0 and is no target any more)
        assertThat(files.superseded(bucket, t1)).containsExactly(goneCopy);
        List<String> later = files.superseded(bucket, t1.plusSeconds(1));
        String goneBin = "tuf/1." + new HashBins(32).binFor(GONE) + ".json";
        assertThat(later).containsExactlyInAnyOrder(oldCopy, goneCopy, "tuf/1." + bin + ".json", goneBin,
                "tuf/1.snapshot.json");
        assertThat(later).noneMatch(key -> key.contains("root") || key.contains("timestamp")
                || key.equals("tuf/1.targets.json") || key.equals("tuf/1.bins.json"));
    }

    /** Plans, "uploads" at the time given (copies of the targets, metadata files) and commits. */
    private static void publish(TrustRepository repository, Map<String, TargetInfo> targets, Map<String, Instant> bucket,
                                Instant at) {
        TrustRepository.Update update = repository.planAll(targets);
        targets.forEach((path, info) -> bucket.putIfAbsent(TrustPublisher.hashedKey(path, info.sha256()), at));
        update.files().forEach(file -> bucket.put("tuf/" + file.name(), at));
        repository.commit(update);
    }

    private static TargetInfo info(String text) {
        return TargetInfo.of(text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** The selection needs no S3 calls. */
    private static final class NoS3 implements S3Client {
        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }
}
