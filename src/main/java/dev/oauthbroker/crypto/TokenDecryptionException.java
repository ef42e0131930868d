package dev.oauthbroker.crypto;

/** A stored value cannot be decrypted; the message never contains key or token material. */
public class TokenDecryptionException extends RuntimeException {
    public TokenDecryptionException(String message) {
        super(message);
    }
}
