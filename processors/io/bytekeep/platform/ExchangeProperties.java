package io.bytekeep.platform;

/**
 * Every exchange property Bytekeep's steps share, in one naming scheme: {@code bytekeep.} and the name in lower camel
 * case, beginning with its feature where it belongs to one. A route file reads one as
 * {@code ${exchangeProperty.bytekeep.<name>}}; docs/INTEGRATING.md ("Exchange properties") lists them for integrators.
 * A step keeps state between its calls only here, never in a field, so concurrent exchanges never see each other's.
 */
public final class ExchangeProperties {

    /** The {@code Caller} the edge authenticated (user, organisations, roles); set before any route runs. */
    public static final String CALLER = "bytekeep.caller";

    /** The bucket a route step chose for the raw file being stored (else the configured raw bucket). */
    public static final String RAW_BUCKET = "bytekeep.rawBucket";
    /** The {@code StoredRaw} being read back (vaultQueries.storedRaw in vault-retrieve, read by rawVerifier). */
    public static final String STORED_RAW = "bytekeep.storedRaw";
    /** The objects this exchange wrote, which orphanGuard deletes again if their rows are not committed. */
    public static final String WRITTEN_OBJECTS = "bytekeep.writtenObjects";
    /** The packs this exchange's files share with other uploads' (orphanGuard settles them with the pack writer). */
    public static final String SHARED_OBJECTS = "bytekeep.sharedObjects";
    /** Objects written for files a concurrent upload stored first: no row will name them, orphanGuard deletes them. */
    public static final String DISCARDED_OBJECTS = "bytekeep.discardedObjects";
    /** Whether the exchange's rows were committed, or whether the commit's outcome is unknown (orphanGuard). */
    public static final String COMMIT = "bytekeep.commit";
    /** The events the upload's transaction committed, for eventsPublishedNow to publish before the answer. */
    public static final String COMMITTED_EVENTS = "bytekeep.committedEvents";

    /** The custody case request being opened (custodyCaseOpening). */
    public static final String CUSTODY_REQUEST = "bytekeep.custodyRequest";
    /** The custody case a step is opened for or appended to. */
    public static final String CUSTODY_CASE = "bytekeep.custodyCase";
    /** The first link of a case being opened: the ingest of its raw file. */
    public static final String CUSTODY_INGEST = "bytekeep.custodyIngest";
    /** The link a step submits to a case. */
    public static final String CUSTODY_LINK = "bytekeep.custodyLink";
    /** The object key of a step's sealed envelope, when the step carries one (custody-chain uploads it). */
    public static final String CUSTODY_ENVELOPE = "bytekeep.custodyEnvelope";

    /** The body of the submission message being taken in, kept for the failure queue. */
    public static final String SUBMISSION_MESSAGE = "bytekeep.submissionMessage";
    /** The AMQP delivery tag of the submission message being taken in, acknowledged once it is stored. */
    public static final String SUBMISSION_DELIVERY_TAG = "bytekeep.submissionDeliveryTag";

    /** The distribution run's start (epoch millis), for its summary and its failure report. */
    public static final String DISTRIBUTION_STARTED = "bytekeep.distributionStarted";
    /** The distribution run's {@code PublishResult}, also for the failure report. */
    public static final String DISTRIBUTION_RESULT = "bytekeep.distributionResult";
    /** The number of keys of the run's retention window. */
    public static final String DISTRIBUTION_KEYS = "bytekeep.distributionKeys";
    /** Milliseconds per phase of the run, and when the current phase started. */
    public static final String DISTRIBUTION_PHASES = "bytekeep.distributionPhases";
    public static final String DISTRIBUTION_PHASE_STARTED = "bytekeep.distributionPhaseStarted";
    /** A full run's inputs (their SHA-256) and the cwa-hash of its central index, recorded when it completes. */
    public static final String DISTRIBUTION_INPUTS = "bytekeep.distributionInputs";
    public static final String DISTRIBUTION_CENTRAL_INDEX_HASH = "bytekeep.distributionCentralIndexHash";
    /** A full run's configuration documents' file as read for its inputs, to publish. */
    public static final String DISTRIBUTION_DOCUMENTS = "bytekeep.distributionDocuments";
    /** The export tree under way ({@code ExportTreeBuilder.Assembly}), date by date. */
    public static final String DISTRIBUTION_ASSEMBLY = "bytekeep.distributionAssembly";
    /** The run's {@code Publication}: its uploads' failure counter and counts. */
    public static final String DISTRIBUTION_PUBLICATION = "bytekeep.distributionPublication";
    /**
     * The whole tree of a full run, archives first, then the index files deepest first (set by
     * routes/distribution-run.camel.yaml once the configuration documents joined it; the run's later plans and the TUF
     * publication are made of it).
     */
    public static final String EXPORT_TREE = "bytekeep.exportTree";
    /** Inside routes/export-upload.camel.yaml's {@code export-put} only: the file it puts and the upload it belongs to. */
    public static final String EXPORT_PUT = "bytekeep.exportPut";

    private ExchangeProperties() {
    }
}
