package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

public class BrokerPropertiesTests {

    /** Settings as the binder makes them: the given values, every other one its default. */
    public static BrokerProperties properties(String publicBaseUrl, String frontendUrl, List<String> corsOrigins) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("broker.public-base-url", publicBaseUrl);
        values.put("broker.frontend-url", frontendUrl);
        values.put("broker.cors-origins", String.join(",", corsOrigins));
        return properties(values);
    }

    /** Settings as the binder makes them from {@code values} (full names, {@code broker.refresh.buffer}), every other one its default. */
    public static BrokerProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("broker", BrokerProperties.class);
    }

    /** The service's own application.yaml, validated as at startup, with these variables set. */
    private final ApplicationContextRunner startup = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @EnableConfigurationProperties(BrokerProperties.class)
    static class Settings {}

    @Test
    void corsOriginsDefaultToTheFrontendsOriginElseThisService() {
        assertThat(properties("https://broker.example.com", "http://App.localhost:3000/some/path", List.of()).allowedOrigins())
                .containsExactly("http://app.localhost:3000");
        assertThat(properties("https://broker.example.com/", "", List.of()).allowedOrigins())
                .containsExactly("https://broker.example.com");
    }

    @Test
    void configuredCorsOriginsReplaceTheDefault() {
        assertThat(properties("https://broker.example.com", "http://app.localhost:3000", List.of("https://a.example.com", " https://b.example.com:8443/ ")).allowedOrigins())
                .containsExactly("https://a.example.com", "https://b.example.com:8443");
    }

    @Test
    void everyBrokerSettingOfApplicationYamlBindsToItsTypedRecord() {
        startup.withPropertyValues("BROKER_SWEEP_PARALLELISM=7", "BROKER_REFRESH_LEASE=45s", "BROKER_HTTP_READ_TIMEOUT_MS=1234",
                        "SANDBOX_CLIENT_ID=sandbox-app", "BROKER_MAX_BODY=1MB", "BROKER_METRICS_GRANT_COUNTS_TTL=3s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BrokerProperties broker = context.getBean(BrokerProperties.class);
                    assertThat(broker.sweep().parallelism()).isEqualTo(7);
                    assertThat(broker.refresh().lease()).hasSeconds(45);
                    assertThat(broker.http().readTimeout()).isEqualTo(1234);
                    assertThat(broker.sandbox().clientId()).isEqualTo("sandbox-app");
                    assertThat(broker.maxBody().toMegabytes()).isEqualTo(1);
                    assertThat(broker.metrics().grantCountsTtl()).hasSeconds(3);
                    assertThat(broker.refresh().initialDelay()).as("default of application.yaml").isEqualTo(1000);
                    assertThat(broker.sweep().cron()).isEqualTo("0 0 */6 * * *");
                });
    }

    @Test
    void badValuesStopStartupNamingTheirVariable() {
        startup.withPropertyValues("BROKER_SWEEP_PARALLELISM=0", "BROKER_REFRESH_QUEUE_PER_PROVIDER=0", "BROKER_EMBEDDED_PG_PORT=70000",
                        "PUBLIC_BASE_URL=broker.example.com")
                .run(context -> {
                    assertThat(context).hasFailed();
                    String failure = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage();
                    assertThat(failure).contains("broker.sweep.parallelism", "BROKER_SWEEP_PARALLELISM",
                            "BROKER_REFRESH_QUEUE_PER_PROVIDER", "BROKER_EMBEDDED_PG_PORT", "PUBLIC_BASE_URL");
                });
    }

    @Test
    void theSandboxSecretStaysOutOfTheSettingsText() {
        startup.withPropertyValues("SANDBOX_CLIENT_SECRET=sandbox-secret-value").run(context ->
                assertThat(context.getBean(BrokerProperties.class).toString()).doesNotContain("sandbox-secret-value"));
    }
}
