package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import io.bytekeep.publication.ExportFile;

/**
 * Turns the keys of one distribution run into the complete tree of objects to publish, as the CWA server's
 * assembly does (seed 004, "Assembly Process", "Bundling and Shifting", "Discovery"). Pure: no I/O, the time comes
 * from the clock, and with {@link ExportSigner}'s deterministic signatures and {@link ArchiveZipper}'s fixed entry
 * times, unchanged keys give byte-identical objects and identical {@code cwa-hash}es.
 * <p>
 * <b>Distribution hour.</b> The keys of the origin country's package, its own keys and the federation gateway's keys
 * that visited it (all keys with {@link Settings#applyPoliciesForAllCountries()}), go through the policies. Seed 004
 * says "the productive diagnosis key bundler applies a series of policies on the keys originating from the country
 * specified by the parameter origin-country"; cwa-server's {@code ProdDiagnosisKeyBundler} applies them to the
 * origin country's bucket, which holds the visitors' keys too, and the byte comparison with its archives
 * ({@code CwaServerVectorTest}) needs the same. Their hour is the {@link ExpiryPolicy} slot, then the
 * {@link SmallBundlePolicy} over the hours up to, not including, the run's hour: with {@link ShiftingPolicy} (CWA's)
 * keys below the threshold are shifted to a later hour or held back for a later run, with {@link PaddingPolicy} such
 * an hour is filled up with fake keys. The other keys (federation keys that did not visit the origin country) are
 * distributed in their submission hour. Each key gets one hour, the same in every package that carries it.
 * <p>
 * <b>Packages.</b> One national package per supported country C: the keys whose origin country is C or whose
 * visited countries contain C (seed 004: "keys submitted by CWA clients as well as keys from visitors of the
 * country"). The EU package ({@link Settings#euPackageName()}, CWA's {@code eu-package-name}, "EUR"): seed 004,
 * "an additional folder will be created which provides all keys from the supported countries in a single package",
 * read as the union of the national packages, each key once. Keys in no package, and keys below the minimum
 * transmission risk level, are ignored (they do not count towards the shifting threshold either).
 * <p>
 * <b>Archives.</b> An hourly archive per package and hour that has keys, for complete hours only (the run's hour is
 * published only with {@link Settings#includeIncompleteHours()}); a daily archive per package and date with all the
 * keys of that date's hourly archives, for complete dates only (today only with
 * {@link Settings#includeIncompleteDays()}). No keys, no archive (seed 004: "the creation of the file will be
 * skipped"). Each archive is export.bin ({@link ExportEncoder}: window = the hour's or day's UTC bounds, region = the
 * package name) and export.sig ({@link ExportSigner}) zipped by {@link ArchiveZipper}; more keys than
 * {@link Settings#maximumKeysPerBundle()} are split by {@link Batcher}, file n &ge; 2 at
 * {@link ExportPaths#batchFile(String, int)}.
 * <p>
 * <b>Index files.</b> JSON arrays without spaces: {@code version} lists {@code ["v1"]}; {@code .../country} lists
 * the supported countries in the configured order, then the EU package; {@code .../country/C/date} lists the dates
 * that have a daily archive, ascending, as strings; {@code .../date/D/hour} lists the hours (numbers, ascending) that
 * have an hourly archive, for every date with one, today included (CWA: the date listing leaves today out, today's
 * hour listing is still published). Every country has a date listing, {@code []} when it has no complete date. The
 * central index (seed 004, "one central index file, containing all available key export files on the server,
 * separated by new-line") is {@link ExportPaths#centralIndex()}: every archive key of the tree, in list order,
 * joined by {@code \n}.
 * <p>
 * <b>Order.</b> All archives, then the index files from the deepest to the root (hour listings, date listings, the
 * country listing, the central index, {@code version}), so an uploader that uploads in list order never publishes an
 * index entry before the object it names. Archives go by package (countries, then the EU package), date, hour, batch;
 * a date's daily archive follows its hourly archives.
 */
public final class ExportTreeBuilder {

    /**
     * The settings of the tree (CWA's {@code services.distribution.*} names in brackets).
     *
     * @param version                      API version of the paths, {@code v1}
     * @param supportedCountries           national packages, e.g. {@code [DE]} ({@code supported-countries})
     * @param originCountry                the country this server runs for; must be supported ({@code api.origin-country})
     * @param euPackageName                the package of all supported countries' keys, {@code EUR} ({@code eu-package-name})
     * @param includeIncompleteDays        publish today's daily archive ({@code include-incomplete-days}, false)
     * @param includeIncompleteHours       publish the current hour's archive ({@code include-incomplete-hours}, false)
     * @param applyPoliciesForAllCountries policies for every key, not only the origin country's
     *                                     ({@code apply-policies-for-all-countries}, false)
     * @param maximumKeysPerBundle         keys per file before a batch is split
     *                                     ({@code maximum-number-of-keys-per-bundle}, 600000)
     * @param minimumTransmissionRiskLevel keys of a lower transmission risk level are not published, and do not
     *                                     count towards the shifting threshold ({@code minimum-trl-value-allowed}, 3)
     */
    public record Settings(String version, List<String> supportedCountries, String originCountry,
                           String euPackageName, boolean includeIncompleteDays, boolean includeIncompleteHours,
                           boolean applyPoliciesForAllCountries, int maximumKeysPerBundle,
                           int minimumTransmissionRiskLevel) {

        /** The CWA server's {@code minimum-trl-value-allowed}. */
        public static final int CWA_MINIMUM_TRANSMISSION_RISK_LEVEL = 3;

        public Settings {
            ExportPaths.requireSegment(version, "version");
            supportedCountries = List.copyOf(new LinkedHashSet<>(
                    Objects.requireNonNull(supportedCountries, "supportedCountries")));
            if (supportedCountries.isEmpty()) {
                throw new IllegalArgumentException("at least one supported country is needed");
            }
            supportedCountries.forEach(country -> ExportPaths.requireSegment(country, "supported country"));
            ExportPaths.requireSegment(euPackageName, "euPackageName");
            if (supportedCountries.contains(euPackageName)) {
                throw new IllegalArgumentException("the EU package name " + euPackageName
                        + " is also a supported country");
            }
            if (!supportedCountries.contains(Objects.requireNonNull(originCountry, "originCountry"))) {
                throw new IllegalArgumentException("the origin country " + originCountry
                        + " is not among the supported countries " + supportedCountries);
            }
            if (maximumKeysPerBundle < 1) {
                throw new IllegalArgumentException("maximumKeysPerBundle must be >= 1, was " + maximumKeysPerBundle);
            }
            if (minimumTransmissionRiskLevel < DiagnosisKeyValidator.MIN_TRANSMISSION_RISK_LEVEL
                    || minimumTransmissionRiskLevel > DiagnosisKeyValidator.MAX_TRANSMISSION_RISK_LEVEL) {
                throw new IllegalArgumentException("minimumTransmissionRiskLevel must be "
                        + DiagnosisKeyValidator.MIN_TRANSMISSION_RISK_LEVEL + ".."
                        + DiagnosisKeyValidator.MAX_TRANSMISSION_RISK_LEVEL + ", was " + minimumTransmissionRiskLevel);
            }
        }

        /**
         * CWA's defaults: {@code v1}, {@code EUR}, complete days and hours only, policies for the origin country, keys
         * of transmission risk level 3 and above.
         */
        public static Settings cwaDefaults(List<String> supportedCountries, String originCountry) {
            return cwaDefaults(supportedCountries, originCountry, Batcher.CWA_MAXIMUM_KEYS_PER_BUNDLE,
                    CWA_MINIMUM_TRANSMISSION_RISK_LEVEL);
        }

        /** CWA's defaults with another maximum of keys per archive (more keys: further batches) and minimum TRL. */
        public static Settings cwaDefaults(List<String> supportedCountries, String originCountry, int maximumKeysPerBundle,
                                           int minimumTransmissionRiskLevel) {
            return new Settings("v1", supportedCountries, originCountry, "EUR", false, false, false, maximumKeysPerBundle,
                    minimumTransmissionRiskLevel);
        }

        /** The packages in listing order: the supported countries, then the EU package. */
        public List<String> packages() {
            List<String> packages = new ArrayList<>(supportedCountries);
            packages.add(euPackageName);
            return List.copyOf(packages);
        }
    }

    private final Settings settings;
    private final ExportPaths paths;
    private final ExpiryPolicy expiryPolicy;
    private final SmallBundlePolicy smallBundlePolicy;
    private final Batcher batcher;
    private final ExportEncoder encoder;
    private final ExportSigner signer;
    private final ArchiveZipper zipper;
    private final Clock clock;

    public ExportTreeBuilder(Settings settings, ExpiryPolicy expiryPolicy, SmallBundlePolicy smallBundlePolicy,
                             ExportEncoder encoder, ExportSigner signer, ArchiveZipper zipper, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.paths = new ExportPaths(settings.version());
        this.expiryPolicy = Objects.requireNonNull(expiryPolicy, "expiryPolicy");
        this.smallBundlePolicy = Objects.requireNonNull(smallBundlePolicy, "smallBundlePolicy");
        this.batcher = new Batcher(settings.maximumKeysPerBundle());
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.zipper = Objects.requireNonNull(zipper, "zipper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Settings settings() {
        return settings;
    }

    /** The paths of the tree, also for retention ({@link ExportPaths#retentionPrefixes}). */
    public ExportPaths paths() {
        return paths;
    }

    /**
     * The objects to publish for the keys of the retention window, archives first, then the index files deepest
     * first; see the class comment. The keys go through {@link #start()} date by date, as a run's do.
     */
    public List<ExportFile> build(Collection<DiagnosisKey> keysOfTheRetentionWindow) {
        SortedMap<LocalDate, List<DiagnosisKey>> bySubmissionDate = new TreeMap<>();
        for (DiagnosisKey key : keysOfTheRetentionWindow) {
            bySubmissionDate.computeIfAbsent(DistributionTimeSlots.dateOf(key.submissionTimestamp()),
                    date -> new ArrayList<>()).add(key);
        }
        Assembly assembly = start();
        bySubmissionDate.forEach(assembly::add);
        return assembly.finish();
    }

    /** Starts the tree of one run, built date by date ({@link Assembly}). */
    public Assembly start() {
        return new Assembly();
    }

    /**
     * The tree of one run, built as the keys come, one submission date after the other, so that a run holds the
     * keys of about one day, not of the whole window. A key's distribution hour is never before its submission hour,
     * so once the keys submitted up to the end of a date are in, every hour of that date is complete: its keys go
     * through the policies (with the keys the small-bundle policy carries over from the date before), and its
     * archives are made, exactly as if every key of the window had been given at once. {@link #add} answers the
     * archives of the dates it completed, to be uploaded before the next date comes; {@link #finish} the whole tree,
     * archives in the order of the class comment, then the index files. Not thread-safe: one run, one thread.
     */
    public final class Assembly {
        private final long endHourExclusive;
        private final LocalDate today;
        /** Keys under the policies, by distribution hour, not yet distributed. */
        private final SortedMap<Long, List<DiagnosisKey>> withPolicies = new TreeMap<>();
        /** The other keys, by submission hour (their distribution hour), not yet distributed. */
        private final SortedMap<Long, List<DiagnosisKey>> withoutPolicies = new TreeMap<>();
        /** The keys the small-bundle policy carries into the first hour not yet distributed. */
        private List<DiagnosisKey> carried = List.of();
        /** Every hour before this one is distributed. */
        private long firstOpenHour = Long.MIN_VALUE;
        private final Map<String, PackageFiles> packages = new LinkedHashMap<>();
        private int keys;

        private Assembly() {
            long currentHour = DistributionTimeSlots.hourOf(clock.instant());
            today = DistributionTimeSlots.dateOf(currentHour);
            endHourExclusive = settings.includeIncompleteHours() ? currentHour + 1 : currentHour;
            settings.packages().forEach(pkg -> packages.put(pkg, new PackageFiles()));
        }

        /**
         * Adds the keys submitted up to the end of {@code throughDate} and after the dates added before (dates
         * ascending); answers the archives of the dates this completes.
         *
         * @throws IllegalArgumentException for a key of an hour already distributed or after {@code throughDate}
         */
        public List<ExportFile> add(LocalDate throughDate, Collection<DiagnosisKey> keys) {
            long nextDay = DistributionTimeSlots.firstHourOf(throughDate.plusDays(1));
            this.keys = Math.addExact(this.keys, keys.size());
            for (DiagnosisKey key : keys) {
                if (key.submissionTimestamp() < firstOpenHour || key.submissionTimestamp() >= nextDay) {
                    throw new IllegalArgumentException("a key submitted in hour " + key.submissionTimestamp()
                            + " does not belong to the keys up to " + throughDate + " after those added before");
                }
                if (key.transmissionRiskLevel() < settings.minimumTransmissionRiskLevel() || !inAnyPackage(key)) {
                    continue;
                }
                if (settings.applyPoliciesForAllCountries() || inNationalPackage(key, settings.originCountry())) {
                    withPolicies.computeIfAbsent(expiryPolicy.distributionHour(key), hour -> new ArrayList<>()).add(key);
                } else {
                    withoutPolicies.computeIfAbsent(key.submissionTimestamp(), hour -> new ArrayList<>()).add(key);
                }
            }
            return distributeUpTo(nextDay);
        }

        /** How many keys were added (published or not). */
        public int keys() {
            return keys;
        }

        /** The whole tree: every archive (those not answered by {@link #add} yet included), then the index files. */
        public List<ExportFile> finish() {
            distributeUpTo(endHourExclusive);
            List<ExportFile> archives = new ArrayList<>();
            List<ExportFile> hourIndexes = new ArrayList<>();
            List<ExportFile> dateIndexes = new ArrayList<>();
            packages.forEach((pkg, files) -> {
                archives.addAll(files.archives);
                hourIndexes.addAll(files.hourIndexes);
                dateIndexes.add(ExportFile.index(paths.dateIndex(pkg), jsonStrings(files.listedDates),
                        ExportFile.APPLICATION_JSON));
            });
            List<ExportFile> tree = new ArrayList<>(archives);
            tree.addAll(hourIndexes);
            tree.addAll(dateIndexes);
            tree.add(ExportFile.index(paths.countryIndex(), jsonStrings(settings.packages()),
                    ExportFile.APPLICATION_JSON));
            tree.add(ExportFile.index(paths.centralIndex(), archives.stream().map(ExportFile::objectKey)
                    .collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8), ExportFile.TEXT_PLAIN));
            tree.add(ExportFile.index(paths.versionIndex(), jsonStrings(List.of(settings.version())),
                    ExportFile.APPLICATION_JSON));
            return List.copyOf(tree);
        }

        /**
         * Distributes the hours before {@code limit} (at most up to the run's end): the policies over the keys of
         * those hours, then the archives of each date that has keys, package by package.
         */
        private List<ExportFile> distributeUpTo(long limit) {
            long upTo = Math.min(limit, endHourExclusive);
            if (upTo <= firstOpenHour) {
                return List.of();
            }
            SortedMap<Long, List<DiagnosisKey>> hours = new TreeMap<>(withPolicies.headMap(upTo));
            withPolicies.headMap(upTo).clear();
            if (!carried.isEmpty()) {
                hours.merge(firstOpenHour, new ArrayList<>(carried), (carriedKeys, hourKeys) -> {
                    carriedKeys.addAll(hourKeys);
                    return carriedKeys;
                });
            }
            SmallBundlePolicy.Result policies = smallBundlePolicy.apply(hours, upTo);
            carried = policies.heldBack();
            SortedMap<Long, List<DiagnosisKey>> byHour = new TreeMap<>();
            policies.keysByHour().forEach((hour, released) -> {
                if (!released.isEmpty()) {
                    byHour.computeIfAbsent(hour, h -> new ArrayList<>()).addAll(released);
                }
            });
            withoutPolicies.headMap(upTo).forEach((hour, keys) ->
                    byHour.computeIfAbsent(hour, h -> new ArrayList<>()).addAll(keys));
            withoutPolicies.headMap(upTo).clear();
            firstOpenHour = upTo;

            SortedMap<LocalDate, SortedMap<Long, List<DiagnosisKey>>> byDate = new TreeMap<>();
            byHour.forEach((hour, keys) -> byDate.computeIfAbsent(DistributionTimeSlots.dateOf(hour),
                    date -> new TreeMap<>()).put(hour, keys));
            List<ExportFile> completed = new ArrayList<>();
            byDate.forEach((date, dateHours) -> packages.forEach((pkg, files) ->
                    completed.addAll(files.addDate(pkg, date, dateHours))));
            return completed;
        }

        /** What one package has so far: its archives, hour listings and the dates of its date listing. */
        private final class PackageFiles {
            final List<ExportFile> archives = new ArrayList<>();
            final List<ExportFile> hourIndexes = new ArrayList<>();
            final List<String> listedDates = new ArrayList<>();

            /** The archives of the package for one date, hours ascending; nothing if it has no key that date. */
            List<ExportFile> addDate(String pkg, LocalDate date, SortedMap<Long, List<DiagnosisKey>> dateHours) {
                boolean euPackage = pkg.equals(settings.euPackageName());
                List<ExportFile> dateArchives = new ArrayList<>();
                List<DiagnosisKey> dayKeys = new ArrayList<>();
                List<Integer> listedHours = new ArrayList<>();
                dateHours.forEach((hour, keys) -> {
                    List<DiagnosisKey> packageKeys = euPackage ? keys
                            : keys.stream().filter(key -> inNationalPackage(key, pkg)).toList();
                    if (!packageKeys.isEmpty()) {
                        dateArchives.addAll(archives(paths.hourlyArchive(pkg, hour), ExportFile.Kind.HOURLY_ARCHIVE,
                                pkg, DistributionTimeSlots.startEpochSecond(hour),
                                DistributionTimeSlots.endEpochSecond(hour), packageKeys));
                        listedHours.add(DistributionTimeSlots.hourOfDay(hour));
                        dayKeys.addAll(packageKeys);
                    }
                });
                if (dayKeys.isEmpty()) {
                    return List.of();
                }
                hourIndexes.add(ExportFile.index(paths.hourIndex(pkg, date), jsonNumbers(listedHours),
                        ExportFile.APPLICATION_JSON));
                if (date.isBefore(today) || settings.includeIncompleteDays()) {
                    long firstHour = DistributionTimeSlots.firstHourOf(date);
                    long nextDay = DistributionTimeSlots.firstHourOf(date.plusDays(1));
                    dateArchives.addAll(archives(paths.dailyArchive(pkg, date), ExportFile.Kind.DAILY_ARCHIVE, pkg,
                            DistributionTimeSlots.startEpochSecond(firstHour),
                            DistributionTimeSlots.startEpochSecond(nextDay), dayKeys));
                    listedDates.add(date.toString());
                }
                archives.addAll(dateArchives);
                return dateArchives;
            }
        }
    }

    private boolean inAnyPackage(DiagnosisKey key) {
        return settings.supportedCountries().stream().anyMatch(country -> inNationalPackage(key, country));
    }

    private static boolean inNationalPackage(DiagnosisKey key, String country) {
        return key.originCountry().equals(country) || key.visitedCountries().contains(country);
    }

    /** The files of one export: one archive per batch, file 1 at the archive's key. */
    private List<ExportFile> archives(String archiveKey, ExportFile.Kind kind, String region, long start, long end,
                                      List<DiagnosisKey> keys) {
        List<ExportFile> files = new ArrayList<>();
        for (Batcher.Batch batch : batcher.split(keys)) {
            // encoded now for its hash, and again, signed and zipped, only when an uploader needs the bytes (an
            // unchanged archive is skipped by its hash): the run does not keep every export.bin until its upload
            files.add(ExportFile.archive(ExportPaths.batchFile(archiveKey, batch.batchNum()), kind, () -> {
                byte[] exportBin = encoder.encode(region, start, end, batch);
                return zipper.zip(exportBin, signer.sign(exportBin, encoder.signatureInfo(), batch.batchNum(),
                        batch.batchSize()));
            }, encoder.encode(region, start, end, batch)));
        }
        return files;
    }

    /** {@code ["a","b"]}; the values are path segments or ISO dates, nothing to escape. */
    static byte[] jsonStrings(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"")
                .collect(Collectors.joining(",", "[", "]")).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code [0,1,5]}. */
    static byte[] jsonNumbers(List<Integer> values) {
        return values.stream().map(String::valueOf)
                .collect(Collectors.joining(",", "[", "]")).getBytes(StandardCharsets.UTF_8);
    }
}
