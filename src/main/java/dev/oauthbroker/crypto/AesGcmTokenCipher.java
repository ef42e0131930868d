package dev.oauthbroker.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM encryption of token values.
 *
 * <p>Each value gets a fresh random 96-bit nonce; the key id travels inside the ciphertext; the
 * caller's associated data (e.g. {@code grant:<id>:refresh_token}) binds a ciphertext to its row
 * and column, so a value copied elsewhere does not decrypt. Layout: {@code version(1) |
 * keyIdLength(1) | keyId | nonce(12) | ciphertext+tag}.
 */
public class AesGcmTokenCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /**
     * One decrypting cipher per thread, re-initialised for every value (allowed for decryption;
     * an encryption always gets a new one): the provider look-up of {@code Cipher.getInstance}
     * stays off the token path, which decrypts on every answer.
     */
    private static final ThreadLocal<Cipher> DECRYPTERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    });

    private final TokenKey current;
    private final Map<String, TokenKey> keysById = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public AesGcmTokenCipher(TokenKey current, List<TokenKey> previous) {
        this.current = current;
        keysById.put(current.id(), current);
        previous.forEach(key -> keysById.putIfAbsent(key.id(), key));
    }

    public byte[] encrypt(String plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] keyId = current.id().getBytes(StandardCharsets.US_ASCII);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + sealed.length)
                    .put(VERSION).put((byte) keyId.length).put(keyId).put(nonce).put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed", e);
        }
    }

    /** @throws TokenDecryptionException when the value was tampered with, moved, or its key is unknown */
    public String decrypt(byte[] ciphertext, String associatedData) {
        try {
            ByteBuffer in = ByteBuffer.wrap(ciphertext);
            if (in.get() != VERSION) {
                throw new TokenDecryptionException("unknown ciphertext version");
            }
            byte[] keyId = new byte[in.get()];
            in.get(keyId);
            TokenKey key = keysById.get(new String(keyId, StandardCharsets.US_ASCII));
            if (key == null) {
                throw new TokenDecryptionException("ciphertext was written under a key that is not configured");
            }
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            Cipher cipher = DECRYPTERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof TokenDecryptionException tde) {
                throw tde;
            }
            throw new TokenDecryptionException("ciphertext failed authentication");
        }
    }

    /** Whether a value was written under an older key and should be re-encrypted. */
    public boolean needsRotation(byte[] ciphertext) {
        int length = ciphertext[1];
        return !current.id().equals(new String(ciphertext, 2, length, StandardCharsets.US_ASCII));
    }

    public String currentKeyId() {
        return current.id();
    }
}
