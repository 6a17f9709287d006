import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.bytekeep.trust.HashBins;
import io.bytekeep.trust.InMemoryTrustStateStore;
import io.bytekeep.trust.TargetInfo;
import io.bytekeep.trust.TrustRepository;
import io.bytekeep.trust.TrustSigner;

/**
 * The TUF metadata benchmark of bench/tuf-bench.sh: for each number of bins, a repository of N targets built from
 * scratch (plan + sign + commit into an in-memory store), then R increments of K new targets each, timed two ways:
 * as a change set (plan(upserts, removals), what a caller that knows its changes does) and as the complete target
 * set (planAll, what the route does after a distribution run: it diffs the whole tree). Prints one Markdown table
 * row per measurement. Arguments: targets increment rounds bins...
 */
public final class TufBench {

    public static void main(String[] args) {
        int targets = Integer.parseInt(args[0]);
        int increment = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        TrustRepository.Keys keys = new TrustRepository.Keys(ed(), ed(), ed(), ed(),
                TrustSigner.generate(TrustSigner.KeyType.ECDSA), TrustSigner.generate(TrustSigner.KeyType.ECDSA));

        // warm-up (JIT), not reported
        run(keys, 256, 20_000, 500, 3, false);

        System.out.println("| bins | targets | build from scratch (s) | roles signed | +" + increment
                + " as change set: median / max (ms) | bins re-signed | +" + increment
                + " as complete set (planAll): median / max (ms) | snapshot.json (KiB) | bins.json (KiB) | largest bin (KiB) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 3; i < args.length; i++) {
            run(keys, Integer.parseInt(args[i]), targets, increment, rounds, true);
        }
    }

    private static void run(TrustRepository.Keys keys, int bins, int targets, int increment, int rounds, boolean print) {
        TrustRepository repository = new TrustRepository(new HashBins(bins), keys, TrustRepository.Expiries.defaults(),
                Clock.systemUTC(), new InMemoryTrustStateStore());
        Map<String, TargetInfo> all = new HashMap<>();
        for (int n = 0; n < targets; n++) {
            all.put(path(n), info(n));
        }
        long start = System.nanoTime();
        TrustRepository.Update first = repository.planAll(all);
        repository.commit(first);
        double buildSeconds = (System.nanoTime() - start) / 1e9;

        long[] changeSet = new long[rounds];
        long[] completeSet = new long[rounds];
        int resigned = 0;
        int next = targets;
        for (int round = 0; round < rounds; round++) {
            Map<String, TargetInfo> added = new HashMap<>();
            for (int n = next; n < next + increment; n++) {
                added.put(path(n), info(n));
            }
            next += increment;
            start = System.nanoTime();
            TrustRepository.Update update = repository.plan(added, List.of());
            repository.commit(update);
            changeSet[round] = System.nanoTime() - start;
            resigned = update.signedRoles().size() - 2;
            all.putAll(added);

            added = new HashMap<>();
            for (int n = next; n < next + increment; n++) {
                added.put(path(n), info(n));
            }
            next += increment;
            all.putAll(added);
            start = System.nanoTime();
            update = repository.planAll(all);
            repository.commit(update);
            completeSet[round] = System.nanoTime() - start;
        }
        if (!print) {
            return;
        }
        int largestBin = 0;
        for (TrustRepository.MetadataFile file : repository.files()) {
            if (file.name().matches("\\d+\\.[0-9a-f]+(-[0-9a-f]+)?\\.json")) {
                largestBin = Math.max(largestBin, file.bytes().length);
            }
        }
        System.out.printf(Locale.ROOT, "| %d | %,d | %.2f | %,d | %.0f / %.0f | %,d | %.0f / %.0f | %,d | %,d | %.1f |%n",
                bins, targets, buildSeconds, first.signedRoles().size(), median(changeSet), max(changeSet), resigned,
                median(completeSet), max(completeSet), repository.metadata(TrustRepository.SNAPSHOT).length() / 1024,
                repository.metadata(TrustRepository.BINS).length() / 1024, largestBin / 1024.0);
    }

    /** Paths shaped like the export tree's object keys, distinct per n. */
    private static String path(int n) {
        return String.format(Locale.ROOT, "version/v1/diagnosis-keys/country/C%03d/date/2026-11-%02d/hour/%d/batch/%d",
                n % 997, 1 + n % 28, n % 24, n);
    }

    private static TargetInfo info(int n) {
        return TargetInfo.of(("archive " + n).getBytes(StandardCharsets.UTF_8), null);
    }

    private static TrustSigner ed() {
        return TrustSigner.generate(TrustSigner.KeyType.ED25519);
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double max(long[] nanos) {
        return Arrays.stream(nanos).max().orElse(0) / 1e6;
    }
}
