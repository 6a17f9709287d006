package io.bytekeep.distribution;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * The {@code demo} profile's data: random, valid diagnosis keys for every hour of the past days, so that one
 * distribution run shows a full export tree. Each start fills the hours of the past days that have no keys, each hour
 * in its own transaction (a start cut short leaves whole hours); an hour's keys depend only on the seed and the hour.
 * Each key expired before it was submitted (a daily key of an earlier day), so the expiry policy lets it out at
 * its submission hour, as real keys mostly are.
 */
public class DemoKeys implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DemoKeys.class);
    private static final int INTERVALS_PER_DAY = 144;
    private static final Set<String> NEIGHBOURS = Set.of("FR", "NL", "AT", "BE", "DK", "PL");

    private final DiagnosisKeyStore store;
    private final DemoProperties settings;
    private final Clock clock;

    public DemoKeys(DiagnosisKeyStore store, DemoProperties settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        long currentHour = DistributionTimeSlots.hourOf(clock.instant());
        long firstHour = currentHour - 24L * settings.days();
        Set<Long> withKeys = new HashSet<>(store.hoursWithKeysSince(firstHour));
        long stored = 0;
        int hours = 0;
        for (long hour = firstHour; hour < currentHour; hour++) {
            if (!withKeys.contains(hour)) {
                stored += store.storeNew(new Submission(keysOf(hour, new Random(settings.seed() ^ hour)), true)).stored();
                hours++;
            }
        }
        LOG.info("Demo keys: generated {} keys for {} of the past {} hours without keys ({} per hour); {} hours had keys",
                stored, hours, currentHour - firstHour, settings.keysPerHour(), withKeys.size());
    }

    private List<DiagnosisKey> keysOf(long submissionHour, Random random) {
        long submissionDay = submissionHour / 24;
        List<DiagnosisKey> keys = new ArrayList<>(settings.keysPerHour());
        for (int i = 0; i < settings.keysPerHour(); i++) {
            byte[] keyData = new byte[DiagnosisKey.KEY_LENGTH];
            random.nextBytes(keyData);
            long keyDay = submissionDay - 1 - random.nextInt(13);
            String visited = List.copyOf(NEIGHBOURS).get(random.nextInt(NEIGHBOURS.size()));
            keys.add(new DiagnosisKey(keyData, Math.toIntExact(keyDay * INTERVALS_PER_DAY), INTERVALS_PER_DAY,
                    1 + random.nextInt(8), ReportType.CONFIRMED_TEST, random.nextInt(15), settings.originCountry(),
                    random.nextBoolean() ? Set.of(settings.originCountry(), visited) : Set.of(settings.originCountry()),
                    submissionHour));
        }
        return keys;
    }
}
