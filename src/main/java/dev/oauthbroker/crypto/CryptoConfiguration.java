package dev.oauthbroker.crypto;

import java.util.Arrays;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Builds the token cipher from {@code ENCRYPTION_KEY}, else {@code MCP_ENCRYPTION_KEY}, plus the
 * comma-separated {@code ENCRYPTION_KEYS_PREVIOUS}. There is no other fallback: with neither set,
 * startup fails and says which variables to set.
 */
@Configuration(proxyBeanMethods = false)
public class CryptoConfiguration {

    @Bean
    AesGcmTokenCipher tokenCipher(Environment environment) {
        String source = "ENCRYPTION_KEY";
        String value = environment.getProperty(source);
        if (value == null || value.isBlank()) {
            source = "MCP_ENCRYPTION_KEY";
            value = environment.getProperty(source);
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("No token encryption key: set ENCRYPTION_KEY or MCP_ENCRYPTION_KEY "
                    + "(base64, at least 32 bytes; e.g. openssl rand -base64 32)");
        }
        List<TokenKey> previous = Arrays.stream(environment.getProperty("ENCRYPTION_KEYS_PREVIOUS", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> TokenKey.fromBase64("ENCRYPTION_KEYS_PREVIOUS", s))
                .toList();
        return new AesGcmTokenCipher(TokenKey.fromBase64(source, value), previous);
    }
}
