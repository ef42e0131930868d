package dev.oauthbroker.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key derived from operator key material, with a short id that is stored beside every
 * ciphertext so the right key is chosen on decryption after a rotation.
 *
 * <p>The id is a fingerprint (SHA-256 of the derived key, first 8 bytes): it identifies the key
 * without revealing it.
 */
public record TokenKey(String id, SecretKey secretKey) {

    /** Minimum length, in bytes, of the decoded key material. */
    public static final int MIN_BYTES = 32;

    /**
     * Parses base64 key material.
     *
     * @param source the variable the value came from, named in error messages (never the value)
     */
    public static TokenKey fromBase64(String source, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not valid base64 (generate one with: openssl rand -base64 32)");
        }
        if (raw.length < MIN_BYTES) {
            throw new IllegalStateException(source + " must decode to at least " + MIN_BYTES + " bytes, got "
                    + raw.length + " (generate one with: openssl rand -base64 32)");
        }
        byte[] key = sha256(raw);
        return new TokenKey(HexFormat.of().formatHex(sha256(key), 0, 8), new SecretKeySpec(key, "AES"));
    }

    private static byte[] sha256(byte[] input) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("oauth-broker/token-key/v1".getBytes(StandardCharsets.US_ASCII));
            return digest.digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "TokenKey[" + id + "]";
    }
}
