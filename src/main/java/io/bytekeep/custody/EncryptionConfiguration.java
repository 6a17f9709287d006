package io.bytekeep.custody;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.BytekeepProperties;

/**
 * The encryption middlewares at rest: {@code bytekeep.vault.encryption} names the writer; IDENTITY and every
 * middleware whose keys are configured under {@code bytekeep.custody} read, so a deployment that changes its
 * middleware still reads what the previous one wrote. A writer without its keys stops the start.
 */
@Configuration(proxyBeanMethods = false)
public class EncryptionConfiguration {

    private final SecureRandom random = new SecureRandom();

    @Bean
    EncryptionMiddlewares encryptionMiddlewares(BytekeepProperties properties, CustodyKeysProperties keys) {
        List<EncryptionMiddleware> readers = new ArrayList<>();
        readers.add(new IdentityMiddleware());
        kekRing(keys).ifPresent(ring -> readers.add(new EnvelopeAesGcmMiddleware(ring, chunkSize(keys), random)));
        sealedBox(keys, properties.dataDir().resolve("spool")).ifPresent(readers::add);
        String writer = properties.vault().encryption();
        if (readers.stream().noneMatch(middleware -> middleware.name().equals(writer))) {
            throw new IllegalStateException("bytekeep.vault.encryption is " + writer + ", but its keys are not configured: "
                    + (writer.equals(SealedBoxMiddleware.NAME)
                    ? "set bytekeep.custody.sealbox.private-key-b64 (BYTEKEEP_PRIVATE_KEY_B64)"
                    : "set bytekeep.custody.keks (BYTEKEEP_KEK_ID and BYTEKEEP_KEK_B64)"));
        }
        return new EncryptionMiddlewares(readers, writer);
    }

    /** The writing middleware, as the ingestion route's {@code encryptor} uses it. */
    @Bean
    EncryptionMiddleware encryptionMiddleware(EncryptionMiddlewares middlewares) {
        return middlewares.writer();
    }

    @Bean
    KekRewrap kekRewrap(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, CustodyKeysProperties keys) {
        return new KekRewrap(jdbc, transactions, kekRing(keys).orElse(null), keys.rewrapBatchSize());
    }

    /** Absent when no KEK has a key; a partly configured list is an error (old objects would become unreadable). */
    static Optional<KekRing> kekRing(CustodyKeysProperties keys) {
        List<CustodyKeysProperties.Kek> keks = keys.keks();
        if (keks.stream().allMatch(kek -> kek.key().isBlank())) {
            return Optional.empty();
        }
        Map<String, byte[]> byId = new LinkedHashMap<>();
        for (CustodyKeysProperties.Kek kek : keks) {
            if (kek.key().isBlank()) {
                throw new IllegalStateException("KEK " + kek.id() + " has no key: set bytekeep.custody.keks[].key (base64 of 32 bytes)");
            }
            if (byId.put(kek.id(), base64("KEK " + kek.id(), kek.key())) != null) {
                throw new IllegalStateException("KEK id " + kek.id() + " is configured twice");
            }
        }
        String writer = keys.writerKek() == null || keys.writerKek().isBlank() ? null : keys.writerKek();
        return Optional.of(new KekRing(byId, writer));
    }

    private static int chunkSize(CustodyKeysProperties keys) {
        long bytes = keys.chunkSize().toBytes();
        ChunkedAeadFormat.requireChunkSize((int) Math.min(bytes, Integer.MAX_VALUE));
        return (int) bytes;
    }

    private Optional<EncryptionMiddleware> sealedBox(CustodyKeysProperties keys, Path spool) {
        CustodyKeysProperties.Sealbox sealbox = keys.sealbox();
        if (sealbox.privateKeyB64() == null || sealbox.privateKeyB64().isBlank()) {
            return Optional.empty();
        }
        byte[] publicKey = sealbox.publicKeyB64() == null || sealbox.publicKeyB64().isBlank()
                ? null : base64("bytekeep.custody.sealbox.public-key-b64", sealbox.publicKeyB64());
        return Optional.of(new SealedBoxMiddleware(base64("bytekeep.custody.sealbox.private-key-b64", sealbox.privateKeyB64()),
                publicKey, spool, random));
    }

    private static byte[] base64(String what, String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + " is not base64", e);
        }
    }
}
