package io.bytekeep.distribution;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The seed's alternative to shifting (seed 004: "put fake diagnosis keys into the payload [...] it needs to be
 * guaranteed, that those fake diagnosis keys are indistinguishable from real ones"): every complete hour with at least
 * one key but fewer than the threshold is published in its own hour, filled up to the threshold with fake keys.
 * Hours without keys stay without an archive (they reveal nobody).
 * <p>
 * <b>Indistinguishable.</b> A fake key's data is 16 bytes of a cryptographic generator, as a phone's key is 16 random
 * bytes; every other field (rolling start, rolling period, transmission risk level and what it encodes, report type,
 * days since onset, countries) is copied from a real key drawn at random from the hour's reference keys, so each fake
 * carries a combination of values a real key of that day has, with the frequencies they have. The reference keys of
 * hour H are the keys distributed from the start of H's date up to H that were submitted on that date (the hour's own
 * keys if there are none such). Without the secret, fake and real key data are indistinguishable; what an observer
 * can still count is how many distinct field combinations an archive has, at most the number of real keys of the day.
 * <p>
 * <b>The same every run.</b> The fakes of an hour come from HMAC-SHA256 under a secret with the hour as input, and
 * the reference keys of a complete hour do not change while its own keys do not: later keys are distributed in later
 * hours, and retention deletes by submission date, the reference keys' date with the hour's archives (the fallback,
 * the hour's own keys, changes only with them). A re-run therefore publishes the same archive, byte for byte, and the
 * uploader skips it. Fakes are never stored.
 */
public final class PaddingPolicy implements SmallBundlePolicy {

    /** The least secret length: 32 bytes, the HMAC-SHA256 key size. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String HMAC = "HmacSHA256";
    private static final byte[] LABEL = "bytekeep fake keys v1".getBytes(StandardCharsets.US_ASCII);

    private final int threshold;
    private final SecretKeySpec secret;

    /**
     * @param threshold the least number of keys in an hourly archive ({@code shifting-policy-threshold}), {@code >= 1}
     * @param secret    at least {@link #MIN_SECRET_BYTES} bytes; whoever has it can tell fakes from real keys
     */
    public PaddingPolicy(int threshold, byte[] secret) {
        if (threshold < 1) {
            throw new IllegalArgumentException("the padding threshold must be >= 1, was " + threshold);
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the padding secret must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.threshold = threshold;
        this.secret = new SecretKeySpec(secret, HMAC);
    }

    /** Every complete hour with keys is released, filled up to the threshold; nothing is held back. */
    @Override
    public Result apply(Map<Long, ? extends Collection<DiagnosisKey>> keysByDistributionHour, long endHourExclusive) {
        SortedMap<Long, List<DiagnosisKey>> complete = new TreeMap<>();
        keysByDistributionHour.forEach((hour, keys) -> {
            if (hour < endHourExclusive && !keys.isEmpty()) {
                complete.put(hour, List.copyOf(keys));
            }
        });
        SortedMap<Long, List<DiagnosisKey>> released = new TreeMap<>();
        complete.forEach((hour, keys) -> {
            if (keys.size() >= threshold) {
                released.put(hour, keys);
            } else {
                List<DiagnosisKey> padded = new ArrayList<>(keys);
                padded.addAll(fakes(hour, threshold - keys.size(), referenceKeys(hour, keys, complete)));
                released.put(hour, List.copyOf(padded));
            }
        });
        return new Result(released, List.of());
    }

    /** The fake keys of an hour: the same for the same secret, hour and reference keys. */
    List<DiagnosisKey> fakes(long hour, int count, List<DiagnosisKey> referenceKeys) {
        Generator random = new Generator(hour);
        List<DiagnosisKey> fakes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] keyData = random.nextBytes(DiagnosisKey.KEY_LENGTH);
            DiagnosisKey like = referenceKeys.get(random.nextIndex(referenceKeys.size()));
            fakes.add(new DiagnosisKey(keyData, like.rollingStartIntervalNumber(), like.rollingPeriod(),
                    like.transmissionRiskLevel(), like.reportType(), like.daysSinceOnsetOfSymptoms(), like.originCountry(),
                    like.visitedCountries(), hour));
        }
        return fakes;
    }

    /**
     * Keys of the hour's date distributed up to the hour and submitted on that date (else the hour's own keys), in key
     * order, so the generator draws the same key whatever order the keys came in; see the class comment.
     */
    private static List<DiagnosisKey> referenceKeys(long hour, List<DiagnosisKey> hourKeys,
                                                    SortedMap<Long, List<DiagnosisKey>> complete) {
        long dayStart = DistributionTimeSlots.firstHourOf(DistributionTimeSlots.dateOf(hour));
        List<DiagnosisKey> reference = new ArrayList<>();
        complete.subMap(dayStart, hour + 1).values().forEach(keys -> keys.stream()
                .filter(key -> key.submissionTimestamp() >= dayStart).forEach(reference::add));
        return ExportEncoder.sorted(reference.isEmpty() ? hourKeys : reference);
    }

    /** HMAC-SHA256(secret, label || hour || block counter), block after block. */
    private final class Generator {
        private final Mac mac;
        private final long hour;
        private final ByteBuffer block = ByteBuffer.allocate(32).limit(0);
        private int counter;

        Generator(long hour) {
            this.hour = hour;
            try {
                mac = Mac.getInstance(HMAC);
                mac.init(secret);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
            }
        }

        byte[] nextBytes(int length) {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                if (!block.hasRemaining()) {
                    mac.update(LABEL);
                    mac.update(ByteBuffer.allocate(12).putLong(hour).putInt(counter++).array());
                    block.clear();
                    block.put(mac.doFinal()).flip();
                }
                bytes[i] = block.get();
            }
            return bytes;
        }

        /** Uniform in 0..bound-1: the bias of a 64-bit remainder is below bound / 2^64. */
        int nextIndex(int bound) {
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(nextBytes(Long.BYTES)).getLong(), bound);
        }
    }
}
