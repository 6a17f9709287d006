package io.bytekeep.distribution;

import java.util.Objects;

import io.bytekeep.distribution.proto.SignatureInfo;

/**
 * What an export tells the phones about its signature: which app may verify it, with which public key
 * (version and id) and which algorithm. Written once into export.bin ({@code signature_infos}) and once into
 * export.sig ({@code signature_info}).
 *
 * @param appBundleId            iOS bundle id
 * @param androidPackage         Android package name; empty: not written (the CWA server never writes it)
 * @param verificationKeyVersion e.g. {@code v1}; changes on key rotation
 * @param verificationKeyId      e.g. {@code 262} (an MCC)
 * @param signatureAlgorithm     the OID, {@code 1.2.840.10045.4.3.2} (ECDSA with SHA-256)
 */
public record SignatureSettings(String appBundleId, String androidPackage, String verificationKeyVersion,
                                String verificationKeyId, String signatureAlgorithm) {

    /** ECDSA with SHA-256, the only algorithm of the format. */
    public static final String ECDSA_SHA256_OID = "1.2.840.10045.4.3.2";

    public SignatureSettings {
        Objects.requireNonNull(appBundleId, "appBundleId");
        Objects.requireNonNull(androidPackage, "androidPackage");
        Objects.requireNonNull(verificationKeyVersion, "verificationKeyVersion");
        Objects.requireNonNull(verificationKeyId, "verificationKeyId");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    }

    /** CWA's defaults for everything but the app ids: key version {@code v1}, key id {@code 262}, ECDSA/SHA-256. */
    public static SignatureSettings cwaDefaults(String appBundleId, String androidPackage) {
        return new SignatureSettings(appBundleId, androidPackage, "v1", "262", ECDSA_SHA256_OID);
    }

    /** The protobuf message. */
    public SignatureInfo toProto() {
        SignatureInfo.Builder info = SignatureInfo.newBuilder().setAppBundleId(appBundleId);
        if (!androidPackage.isEmpty()) {
            info.setAndroidPackage(androidPackage);
        }
        return info.setVerificationKeyVersion(verificationKeyVersion)
                .setVerificationKeyId(verificationKeyId)
                .setSignatureAlgorithm(signatureAlgorithm)
                .build();
    }
}
