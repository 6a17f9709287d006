package io.bytekeep.atrest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Keys of the encryption middlewares at rest ({@code bytekeep.custody.*}, see config/application.yaml). Which
 * middleware writes is {@code bytekeep.vault.encryption}; every middleware whose keys are set here also reads.
 */
@Validated
@ConfigurationProperties("bytekeep.custody")
public record AtRestKeysProperties(
        List<@Valid Kek> keks,
        @Pattern(regexp = "|[A-Za-z0-9._-]{1,64}", message = "a KEK id: 1-64 of A-Z a-z 0-9 . _ -") String writerKek,
        DataSize chunkSize,
        @Valid Sealbox sealbox,
        @Min(1) @Max(100_000) int rewrapBatchSize) {

    public AtRestKeysProperties {
        keks = keks == null ? List.of() : List.copyOf(keks);
        chunkSize = chunkSize == null ? DataSize.ofKilobytes(64) : chunkSize;
        sealbox = sealbox == null ? new Sealbox(null, null) : sealbox;
        rewrapBatchSize = rewrapBatchSize == 0 ? 500 : rewrapBatchSize;
    }

    /** A key-encryption key: its id (recorded with every data key it wraps) and base64 of its 32 bytes. */
    public record Kek(
            @NotBlank(message = "every KEK needs an id")
            @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "a KEK id: 1-64 of A-Z a-z 0-9 . _ -") String id,
            @NotNull(message = "every KEK needs a key (base64 of 32 random bytes, e.g. openssl rand -base64 32)") String key) {
    }

    /** Bytes' BYTES_PRIVATE_KEY_B64 / BYTES_PUBLIC_KEY_B64: a libsodium crypto_box key pair, base64. */
    public record Sealbox(String privateKeyB64, String publicKeyB64) {
    }
}
