package io.bytekeep.atrest;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.SmartInitializingSingleton;
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

    @Bean
    EncryptionMiddlewares encryptionMiddlewares(BytekeepProperties properties, AtRestKeysProperties keys) {
        return middlewares(properties.vault().encryption(), keys, properties.dataDir().resolve("spool"), new SecureRandom());
    }

    static EncryptionMiddlewares middlewares(String writer, AtRestKeysProperties keys, Path spool, SecureRandom random) {
        List<EncryptionMiddleware> readers = new ArrayList<>();
        readers.add(new IdentityMiddleware());
        kekRing(keys).ifPresent(ring -> readers.add(new EnvelopeAesGcmMiddleware(ring, chunkSize(keys), random)));
        readers.addAll(sealbox(keys, spool, random));
        if (readers.stream().noneMatch(middleware -> middleware.name().equals(writer))) {
            throw new IllegalStateException("bytekeep.vault.encryption is " + writer + ", but its keys are not configured: "
                    + switch (writer) {
                        case NaclBoxMiddleware.NAME -> "NACL_SEALBOX is Bytes' NaCl box and needs both "
                                + "bytekeep.custody.sealbox.private-key-b64 (BYTEKEEP_PRIVATE_KEY_B64, this side's private key) and "
                                + "bytekeep.custody.sealbox.public-key-b64 (BYTEKEEP_PUBLIC_KEY_B64, the other party's public key). "
                                + "Earlier Bytekeep versions wrote libsodium sealed boxes under that name, with the private "
                                + "key alone: to keep writing those, use " + SealedBoxMiddleware.NAME;
                        case SealedBoxMiddleware.NAME -> "set bytekeep.custody.sealbox.private-key-b64 (BYTEKEEP_PRIVATE_KEY_B64)";
                        default -> "set bytekeep.custody.keks (BYTEKEEP_KEK_ID and BYTEKEEP_KEK_B64)";
                    });
        }
        return new EncryptionMiddlewares(readers, writer);
    }

    /**
     * AES-GCM and SHA-2 compiled onto HotSpot's intrinsics while the service starts, not during its first large
     * upload ({@link CryptoWarmUp}).
     */
    @Bean
    SmartInitializingSingleton cryptoWarmUp() {
        return CryptoWarmUp::start;
    }

    /** The writing middleware, as the ingestion route's {@code encryptor} uses it. */
    @Bean
    EncryptionMiddleware encryptionMiddleware(EncryptionMiddlewares middlewares) {
        return middlewares.writer();
    }

    @Bean
    KekRewrap kekRewrap(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, AtRestKeysProperties keys) {
        return new KekRewrap(jdbc, transactions, kekRing(keys).orElse(null), keys.rewrapBatchSize());
    }

    /** Absent when no KEK has a key; a partly configured list is an error (old objects would become unreadable). */
    static Optional<KekRing> kekRing(AtRestKeysProperties keys) {
        List<AtRestKeysProperties.Kek> keks = keys.keks();
        if (keks.stream().allMatch(kek -> kek.key().isBlank())) {
            return Optional.empty();
        }
        Map<String, byte[]> byId = new LinkedHashMap<>();
        for (AtRestKeysProperties.Kek kek : keks) {
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

    private static int chunkSize(AtRestKeysProperties keys) {
        long bytes = keys.chunkSize().toBytes();
        ChunkedAeadFormat.requireChunkSize((int) Math.min(bytes, Integer.MAX_VALUE));
        return (int) bytes;
    }

    /**
     * The middlewares of the {@code bytekeep.custody.sealbox} keys: with the private key, LIBSODIUM_SEALED_BOX (objects
     * sealed to its public key); with the other party's public key as well, NACL_SEALBOX.
     */
    private static List<EncryptionMiddleware> sealbox(AtRestKeysProperties keys, Path spool, SecureRandom random) {
        AtRestKeysProperties.Sealbox sealbox = keys.sealbox();
        boolean hasPrivate = sealbox.privateKeyB64() != null && !sealbox.privateKeyB64().isBlank();
        boolean hasPublic = sealbox.publicKeyB64() != null && !sealbox.publicKeyB64().isBlank();
        if (!hasPrivate) {
            if (hasPublic) {
                throw new IllegalStateException("bytekeep.custody.sealbox.public-key-b64 is set without private-key-b64: "
                        + "NACL_SEALBOX needs both (BYTEKEEP_PRIVATE_KEY_B64 and BYTEKEEP_PUBLIC_KEY_B64)");
            }
            return List.of();
        }
        byte[] privateKey = base64("bytekeep.custody.sealbox.private-key-b64", sealbox.privateKeyB64());
        List<EncryptionMiddleware> middlewares = new ArrayList<>();
        middlewares.add(new SealedBoxMiddleware(privateKey, spool, random));
        if (hasPublic) {
            middlewares.add(new NaclBoxMiddleware(privateKey,
                    base64("bytekeep.custody.sealbox.public-key-b64", sealbox.publicKeyB64()), spool, random));
        }
        return middlewares;
    }

    private static byte[] base64(String what, String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + " is not base64", e);
        }
    }
}
