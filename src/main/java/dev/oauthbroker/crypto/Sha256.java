package dev.oauthbroker.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the one digest the broker uses to keep a secret comparable without keeping it (states,
 * pending ids, backend keys, reported tokens), for PKCE's S256 (RFC 7636 §4.2) and to see that a
 * file's content changed.
 */
public final class Sha256 {

    /** One per thread (a digest is not thread-safe; {@code digest} resets it): looking one up costs more than the hash. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private Sha256() {
    }

    /** The digest of the text's UTF-8 bytes. */
    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] of(byte[] bytes) {
        return DIGEST.get().digest(bytes);
    }
}
