package dev.oauthbroker.authorization;

import dev.oauthbroker.crypto.Sha256;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PKCE with the S256 method (RFC 7636 §4.1–4.2): a verifier of 32 random octets, base64url
 * (43 characters), and {@code code_challenge = BASE64URL(SHA256(ASCII(code_verifier)))}.
 */
public final class S256CodeChallenge {

    private static final SecureRandom RANDOM = new SecureRandom();

    private S256CodeChallenge() {}

    public static String newVerifier() {
        return randomUrlSafe(32);
    }

    public static String challengeOf(String codeVerifier) {
        // the verifier is ASCII (RFC 7636 §4.1): its UTF-8 bytes are its ASCII bytes
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(codeVerifier));
    }

    /** {@code bytes} random octets, base64url without padding. */
    public static String randomUrlSafe(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
