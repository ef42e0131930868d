package dev.oauthbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * The retry policy of a provider call's transient failures is written once in
 * routes/error-handling.camel.yaml ({@code &transient-retry} in refresh-transient) and used by
 * revocation-transient too ({@code *transient-retry}): Camel reads both handlers with the same
 * policy. No Spring: the file loaded into a bare CamelContext.
 */
class TransientRetryPolicyTests {

    private static final Path FILE = Path.of("routes/error-handling.camel.yaml");

    @Test
    void refreshAndRevocationRetryWithThePolicyWrittenOnce() throws Exception {
        assertThat(Files.readString(FILE).split("maximumRedeliveries:", -1)).as("maximumRedeliveries written once").hasSize(2);

        Map<String, OnExceptionDefinition> handlers = handlers();
        RedeliveryPolicyDefinition refresh = handlers.get("refresh-transient").getRedeliveryPolicyType();
        RedeliveryPolicyDefinition revocation = handlers.get("revocation-transient").getRedeliveryPolicyType();

        assertThat(refresh.getMaximumRedeliveries()).isEqualTo("2");
        assertThat(refresh.getRedeliveryDelay()).isEqualTo("{{broker.refresh.initial-delay}}");
        List<Function<RedeliveryPolicyDefinition, String>> options = List.of(RedeliveryPolicyDefinition::getMaximumRedeliveries,
                RedeliveryPolicyDefinition::getRedeliveryDelay, RedeliveryPolicyDefinition::getUseExponentialBackOff,
                RedeliveryPolicyDefinition::getBackOffMultiplier, RedeliveryPolicyDefinition::getMaximumRedeliveryDelay,
                RedeliveryPolicyDefinition::getAsyncDelayedRedelivery, RedeliveryPolicyDefinition::getLogRetryAttempted,
                RedeliveryPolicyDefinition::getLogExhausted, RedeliveryPolicyDefinition::getLogStackTrace);
        for (Function<RedeliveryPolicyDefinition, String> option : options) {
            assertThat(option.apply(revocation)).isNotNull().isEqualTo(option.apply(refresh));
        }
    }

    /** Every onException of the file, by id, as Camel reads it. */
    private static Map<String, OnExceptionDefinition> handlers() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.build();
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + FILE.toAbsolutePath()));
            return camel.getRouteConfigurationDefinitions().stream()
                    .flatMap(configuration -> configuration.getOnExceptions().stream())
                    .collect(Collectors.toMap(OnExceptionDefinition::getId, Function.identity()));
        }
    }
}
