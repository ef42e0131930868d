package dev.oauthbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AesGcmTokenCipherTests {

    static final TokenKey KEY_A = TokenKey.fromBase64("TEST", Base64.getEncoder().encodeToString("a".repeat(32).getBytes()));
    static final TokenKey KEY_B = TokenKey.fromBase64("TEST", Base64.getEncoder().encodeToString("b".repeat(32).getBytes()));
    final AesGcmTokenCipher cipher = new AesGcmTokenCipher(KEY_A, List.of());

    @Test
    void encryptThenDecryptReturnsTheValue() {
        byte[] sealed = cipher.encrypt("gho_secret", "grant:1:access_token");
        assertThat(cipher.decrypt(sealed, "grant:1:access_token")).isEqualTo("gho_secret");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("gho_secret");
    }

    @Test
    void everyValueGetsAFreshNonce() {
        assertThat(cipher.encrypt("same", "ad")).isNotEqualTo(cipher.encrypt("same", "ad"));
    }

    @Test
    void decryptWhenCiphertextTamperedThenFails() {
        byte[] sealed = cipher.encrypt("gho_secret", "ad");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(sealed, "ad"))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageNotContaining("gho_secret");
    }

    @Test
    void decryptWhenMovedToAnotherRowThenFails() {
        byte[] sealed = cipher.encrypt("gho_secret", "grant:1:access_token");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "grant:2:access_token")).isInstanceOf(TokenDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt(sealed, "grant:1:refresh_token")).isInstanceOf(TokenDecryptionException.class);
    }

    @Test
    void decryptWithWrongKeyThenFails() {
        byte[] sealed = cipher.encrypt("gho_secret", "ad");
        AesGcmTokenCipher other = new AesGcmTokenCipher(KEY_B, List.of());
        assertThatThrownBy(() -> other.decrypt(sealed, "ad"))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void previousKeyStillDecryptsAndIsFlaggedForRotation() {
        byte[] old = cipher.encrypt("gho_secret", "ad");
        AesGcmTokenCipher rotated = new AesGcmTokenCipher(KEY_B, List.of(KEY_A));
        assertThat(rotated.decrypt(old, "ad")).isEqualTo("gho_secret");
        assertThat(rotated.needsRotation(old)).isTrue();
        assertThat(rotated.needsRotation(rotated.encrypt("x", "ad"))).isFalse();
    }

    @Test
    void keyShorterThan32BytesIsRefusedWithoutEchoingIt() {
        String shortKey = Base64.getEncoder().encodeToString("too-short-key".getBytes());
        assertThatThrownBy(() -> TokenKey.fromBase64("ENCRYPTION_KEY", shortKey))
                .hasMessageContaining("ENCRYPTION_KEY").hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> TokenKey.fromBase64("ENCRYPTION_KEY", "not base64 !!"))
                .hasMessageContaining("not valid base64");
    }
}
