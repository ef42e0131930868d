package dev.oauthbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CryptoConfigurationTests {

    static final String KEY = Base64.getEncoder().encodeToString("k".repeat(32).getBytes());
    static final String OLD_KEY = Base64.getEncoder().encodeToString("o".repeat(40).getBytes());
    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(CryptoConfiguration.class);

    @Test
    void startsWithOnlyMcpEncryptionKey() {
        runner.withPropertyValues("MCP_ENCRYPTION_KEY=" + KEY).run(context -> {
            assertThat(context).hasNotFailed();
            AesGcmTokenCipher cipher = context.getBean(AesGcmTokenCipher.class);
            assertThat(cipher.decrypt(cipher.encrypt("v", "ad"), "ad")).isEqualTo("v");
        });
    }

    @Test
    void failsWhenNeitherKeyIsSetAndNamesBothVariables() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("ENCRYPTION_KEY").hasMessageContaining("MCP_ENCRYPTION_KEY"));
    }

    @Test
    void encryptionKeyWinsOverMcpEncryptionKey() {
        runner.withPropertyValues("ENCRYPTION_KEY=" + KEY, "MCP_ENCRYPTION_KEY=" + OLD_KEY).run(context ->
                assertThat(context.getBean(AesGcmTokenCipher.class).currentKeyId())
                        .isEqualTo(TokenKey.fromBase64("x", KEY).id()));
    }

    @Test
    void previousKeysDecryptAfterRotation() {
        byte[] sealed = new AesGcmTokenCipher(TokenKey.fromBase64("x", OLD_KEY), java.util.List.of()).encrypt("v", "ad");
        runner.withPropertyValues("ENCRYPTION_KEY=" + KEY, "ENCRYPTION_KEYS_PREVIOUS= ," + OLD_KEY).run(context ->
                assertThat(context.getBean(AesGcmTokenCipher.class).decrypt(sealed, "ad")).isEqualTo("v"));
    }

    @Test
    void shortKeyFailsStartupWithAClearMessage() {
        runner.withPropertyValues("ENCRYPTION_KEY=" + Base64.getEncoder().encodeToString("short".getBytes()))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("ENCRYPTION_KEY must decode to at least 32 bytes"));
    }
}
