package io.bytekeep.distribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.distribution.proto.TEKSignatureList;
import io.bytekeep.distribution.proto.TemporaryExposureKeyExport;

import static org.assertj.core.api.Assertions.assertThat;

/** The building blocks in the order a distribution run uses them, ending in openssl's verdict on the archive. */
class DistributionPipelineTest {

    @TempDir
    Path dir;

    @Test
    void keysToVerifiedHourlyArchives() throws Exception {
        // 100 keys submitted at 2020-06-02T05:00Z and 60 at 06:00Z, all valid on 2020-06-01 (expired 06-02T00:00Z)
        long five = TestKeys.hour("2020-06-02T05:00:00Z");
        List<DiagnosisKey> keys = new ArrayList<>(TestKeys.keys(0, 100, five));
        keys.addAll(TestKeys.keys(100, 60, five + 1));
        long runHour = TestKeys.hour("2020-06-02T08:00:00Z");

        ExpiryPolicy expiry = new ExpiryPolicy(120);
        SortedMap<Long, List<DiagnosisKey>> byHour = keys.stream()
                .collect(Collectors.groupingBy(expiry::distributionHour, TreeMap::new, Collectors.toList()));
        assertThat(byHour).containsOnlyKeys(five, five + 1);
        SmallBundlePolicy.Result shifted = new ShiftingPolicy(140).apply(byHour, runHour);
        assertThat(shifted.keysByHour()).containsOnlyKeys(five, five + 1, five + 2);
        assertThat(shifted.keysByHour().get(five)).isEmpty();
        assertThat(shifted.keysByHour().get(five + 1)).hasSize(160);

        KeyPair signingKeys = ExportSigningKey.generate();
        ExportEncoder encoder = new ExportEncoder(ExportEncoderTest.SIGNATURE, null);
        ExportSigner signer = new ExportSigner(signingKeys.getPrivate());
        Batcher batcher = new Batcher(100);
        ArchiveZipper zipper = new ArchiveZipper();
        Path pubPem = Files.writeString(dir.resolve("pub.pem"), ExportSigningKey.toPem(signingKeys.getPublic()));
        String openssl = ExternalTool.require("openssl", "apt-get install -y openssl");

        int archives = 0;
        for (Map.Entry<Long, List<DiagnosisKey>> hour : shifted.keysByHour().entrySet()) {
            for (Batcher.Batch batch : batcher.split(hour.getValue())) {
                byte[] bin = encoder.encode("DE", DistributionTimeSlots.startEpochSecond(hour.getKey()),
                        DistributionTimeSlots.endEpochSecond(hour.getKey()), batch);
                byte[] zip = zipper.zip(bin, signer.sign(bin, encoder.signatureInfo(), batch.batchNum(), batch.batchSize()));
                Map<String, byte[]> entries = Archives.unzip(zip);
                assertThat(entries).containsOnlyKeys("export.bin", "export.sig");
                TemporaryExposureKeyExport export = ExportEncoder.decode(entries.get("export.bin"));
                assertThat(export.getBatchNum()).isEqualTo(batch.batchNum());
                assertThat(export.getBatchSize()).isEqualTo(2);
                assertThat(DistributionTimeSlots.hourPath(hour.getKey())).isEqualTo("date/2020-06-02/hour/6");

                Path binFile = Files.write(dir.resolve(archives + ".bin"), entries.get("export.bin"));
                Path sigFile = Files.write(dir.resolve(archives + ".der"), TEKSignatureList
                        .parseFrom(entries.get("export.sig")).getSignatures(0).getSignature().toByteArray());
                ExternalTool.Outcome verdict = ExternalTool.run(openssl, "dgst", "-sha256", "-verify",
                        pubPem.toString(), "-signature", sigFile.toString(), binFile.toString());
                assertThat(verdict.stdout().trim()).isEqualTo("Verified OK");
                archives++;
            }
        }
        assertThat(archives).isEqualTo(2);
    }

}
