package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.bytekeep.distribution.proto.SignatureInfo;
import io.bytekeep.publication.ExportFile;

/**
 * The published files of the {@link ConfigurationDocuments}, at the CWA server's paths: each document's export.bin is
 * its protobuf message (no header), signed by {@link ExportSigner} (batch 1 of 1, the exports' signature info) and
 * zipped by {@link ArchiveZipper}, exactly as a key archive; its {@code cwa-hash} is that of the export.bin, so an
 * unchanged document is skipped by the uploader. Pure: the same documents give the same bytes.
 * <ul>
 *   <li>{@code version/v1/configuration/country/<origin>/app_config}: the exposure configuration, and the listing
 *       {@code version/v1/configuration/country} naming the origin country;</li>
 *   <li>{@code version/v2/app_config_android} and {@code version/v2/app_config_ios}, and the same files at
 *       {@code version/v1/app_config_android} and {@code version/v1/app_config_ios}, where the CWA server publishes
 *       them too.</li>
 * </ul>
 */
public final class ConfigurationFiles {

    private final String originCountry;
    private final SignatureInfo signatureInfo;
    private final ExportSigner signer;
    private final ArchiveZipper zipper;

    public ConfigurationFiles(String originCountry, SignatureSettings signature, ExportSigner signer, ArchiveZipper zipper) {
        this.originCountry = ExportPaths.requireSegment(originCountry, "origin country");
        this.signatureInfo = Objects.requireNonNull(signature, "signature").toProto();
        this.signer = Objects.requireNonNull(signer, "signer");
        this.zipper = Objects.requireNonNull(zipper, "zipper");
    }

    /** The signed documents, then the country listing (an index: uploaded after them). */
    public List<ExportFile> files(ConfigurationDocuments documents) {
        String v1 = ExportPaths.VERSION_ROOT + "/v1/";
        String v2 = ExportPaths.VERSION_ROOT + "/v2/";
        byte[] exposure = ConfigurationDocuments.bytes(documents.exposureConfiguration());
        byte[] android = ConfigurationDocuments.bytes(documents.android());
        byte[] ios = ConfigurationDocuments.bytes(documents.ios());
        List<ExportFile> files = new ArrayList<>();
        files.add(signed(v1 + "configuration/country/" + originCountry + "/app_config", exposure));
        files.add(signed(v2 + "app_config_android", android));
        files.add(signed(v2 + "app_config_ios", ios));
        files.add(signed(v1 + "app_config_android", android));
        files.add(signed(v1 + "app_config_ios", ios));
        files.add(ExportFile.index(v1 + "configuration/country", ExportTreeBuilder.jsonStrings(List.of(originCountry)),
                ExportFile.APPLICATION_JSON));
        return List.copyOf(files);
    }

    private ExportFile signed(String objectKey, byte[] exportBin) {
        return ExportFile.archive(objectKey, ExportFile.Kind.CONFIGURATION,
                () -> zipper.zip(exportBin, signer.sign(exportBin, signatureInfo, 1, 1)), exportBin);
    }
}
