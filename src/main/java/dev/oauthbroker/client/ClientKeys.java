package dev.oauthbroker.client;

import dev.oauthbroker.crypto.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Backend client keys: 256 random bits, shown once; only their SHA-256 is kept. A key of that
 * entropy needs no slow password hash (nothing to guess from the hash), and comparing hashes in
 * constant time leaks nothing about the key.
 */
public final class ClientKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "sha256:";

    private ClientKeys() {
    }

    /** A new key: {@code obk_} and 43 base64url characters. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "obk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code sha256:<hex>} of the key, as written in {@code config/clients.yaml}. */
    public static String hash(String key) {
        return PREFIX + HexFormat.of().formatHex(Sha256.of(key));
    }

    static byte[] bytesOf(String hash) {
        return HexFormat.of().parseHex(hash.substring(PREFIX.length()));
    }
}
