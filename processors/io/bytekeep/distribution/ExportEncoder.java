package io.bytekeep.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;

import io.bytekeep.distribution.proto.SignatureInfo;
import io.bytekeep.distribution.proto.TemporaryExposureKey;
import io.bytekeep.distribution.proto.TemporaryExposureKeyExport;

/**
 * Builds the bytes of export.bin: the 16-byte header {@code "EK Export v1"} right-padded with spaces, then one
 * {@code TemporaryExposureKeyExport} with the window, region, batch number and size, one {@code SignatureInfo} (from
 * the constructor) and the keys sorted by key data (unsigned, byte by byte), each with its report type and days since
 * onset of symptoms from its transmission risk level ({@link TransmissionRiskEncoding}, as the CWA server publishes
 * them) or, without an encoding, as submitted. The same input gives the same bytes: the keys' order in the input does
 * not matter, and the message has no map fields whose order could vary.
 */
public final class ExportEncoder {

    /** {@code "EK Export v1"} padded with spaces to {@link #HEADER_LENGTH} bytes. */
    public static final String HEADER_TEXT = "EK Export v1";
    public static final int HEADER_LENGTH = 16;
    /** About what one key takes in export.bin: sizes the buffer of an archive up front. */
    private static final int BYTES_PER_KEY = 36;

    private static final byte[] HEADER = header();

    private final SignatureInfo signatureInfo;
    private final TransmissionRiskEncoding riskEncoding;

    /**
     * @param signature    the signature info of every export
     * @param riskEncoding the report type and days since onset to publish per transmission risk level, or null to
     *                     publish the submitted values
     */
    public ExportEncoder(SignatureSettings signature, TransmissionRiskEncoding riskEncoding) {
        this.signatureInfo = Objects.requireNonNull(signature, "signature").toProto();
        this.riskEncoding = riskEncoding;
    }

    /** The signature info every export carries, for its export.sig. */
    public SignatureInfo signatureInfo() {
        return signatureInfo;
    }

    /**
     * The export.bin of one file of a batch.
     *
     * @param region         region/country of the keys, e.g. {@code DE}, {@code EUR}
     * @param startTimestamp start of the window of keys (arrival at the server), UTC seconds
     * @param endTimestamp   end of that window, UTC seconds
     * @param batchNum       1-based number of this file in its batch
     * @param batchSize      number of files in the batch
     * @param keys           the keys of this file, in any order
     */
    public byte[] encode(String region, long startTimestamp, long endTimestamp, int batchNum, int batchSize,
                         Collection<DiagnosisKey> keys) {
        Objects.requireNonNull(region, "region");
        if (batchSize < 1 || batchNum < 1 || batchNum > batchSize) {
            throw new IllegalArgumentException("batch " + batchNum + " of " + batchSize + " is not a batch");
        }
        if (endTimestamp < startTimestamp) {
            throw new IllegalArgumentException("the window ends (" + endTimestamp + ") before it starts ("
                    + startTimestamp + ")");
        }
        TemporaryExposureKeyExport.Builder export = TemporaryExposureKeyExport.newBuilder()
                .setStartTimestamp(startTimestamp)
                .setEndTimestamp(endTimestamp)
                .setRegion(region)
                .setBatchNum(batchNum)
                .setBatchSize(batchSize)
                .addSignatureInfos(signatureInfo);
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_LENGTH + 128 + keys.size() * BYTES_PER_KEY);
        try {
            out.write(HEADER);
            export.build().writeTo(out);
            // the keys one by one after the other fields: protobuf writes fields in number order and keys (7) is the
            // last, so these are the bytes of the whole message, without a message object per key held at once (a
            // daily archive has hundreds of thousands)
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            for (DiagnosisKey key : sorted(keys)) {
                coded.writeMessage(TemporaryExposureKeyExport.KEYS_FIELD_NUMBER, toProto(key));
            }
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The export.bin of one batch from {@link Batcher}. */
    public byte[] encode(String region, long startTimestamp, long endTimestamp, Batcher.Batch batch) {
        return encode(region, startTimestamp, endTimestamp, batch.batchNum(), batch.batchSize(), batch.keys());
    }

    /** The protobuf message of one key as it is published. */
    TemporaryExposureKey toProto(DiagnosisKey key) {
        int level = key.transmissionRiskLevel();
        ReportType reportType = riskEncoding == null ? key.reportType() : riskEncoding.reportType(level);
        int daysSinceOnset = riskEncoding == null ? key.daysSinceOnsetOfSymptoms() : riskEncoding.daysSinceOnsetOfSymptoms(level);
        return TemporaryExposureKey.newBuilder()
                // keyData() is already a copy of its own: wrapped, not copied again
                .setKeyData(UnsafeByteOperations.unsafeWrap(key.keyData()))
                .setTransmissionRiskLevel(level)
                .setRollingStartIntervalNumber(key.rollingStartIntervalNumber())
                .setRollingPeriod(key.rollingPeriod())
                .setReportType(TemporaryExposureKey.ReportType.forNumber(reportType.number()))
                .setDaysSinceOnsetOfSymptoms(daysSinceOnset)
                .build();
    }

    /** The 16 header bytes. */
    public static byte[] headerBytes() {
        return HEADER.clone();
    }

    /** Reads an export.bin back: checks the header and parses what follows it. */
    public static TemporaryExposureKeyExport decode(byte[] exportBin) {
        if (exportBin.length < HEADER_LENGTH
                || !Arrays.equals(exportBin, 0, HEADER_LENGTH, HEADER, 0, HEADER_LENGTH)) {
            throw new IllegalArgumentException("not an export.bin: the first " + HEADER_LENGTH
                    + " bytes are not '" + HEADER_TEXT + "' padded with spaces");
        }
        try {
            return TemporaryExposureKeyExport.parseFrom(
                    CodedInputStream.newInstance(exportBin, HEADER_LENGTH,
                            exportBin.length - HEADER_LENGTH));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("export.bin has no valid TemporaryExposureKeyExport after its header", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys of a list in export order. */
    public static List<DiagnosisKey> sorted(Collection<DiagnosisKey> keys) {
        return keys.stream().sorted(DiagnosisKey.BY_KEY_DATA).toList();
    }

    private static byte[] header() {
        byte[] header = new byte[HEADER_LENGTH];
        Arrays.fill(header, (byte) ' ');
        byte[] text = HEADER_TEXT.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, header, 0, text.length);
        return header;
    }
}
