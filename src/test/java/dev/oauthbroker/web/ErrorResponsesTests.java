package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.provider.TransientProviderException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** The JSON error of a failed API request, from the bound failure alone: no Spring, no exchange. */
class ErrorResponsesTests {

    private final ErrorResponses responses = new ErrorResponses(null);
    private final Map<String, Object> headers = new HashMap<>();

    @Test
    void aRefusalOfOursKeepsItsErrorAndStatus() {
        Map<String, Object> body = responses.render(BrokerException.notFound("not_connected", "the user disconnected jira"), headers,
                "token-api", null, null, "u1", "jira");

        assertThat(body).containsEntry("error", "not_connected").containsEntry("message", "the user disconnected jira");
        assertThat(headers).containsEntry(Exchange.HTTP_RESPONSE_CODE, 404).containsEntry(Exchange.CONTENT_TYPE, "application/json")
                .doesNotContainKey("Retry-After");
    }

    @Test
    void anUnavailableProviderIs503WithRetryAfterInWholeSecondsRoundedUp() {
        Map<String, Object> body = responses.render(new TransientProviderException("http_503", Duration.ofMillis(2500)), headers,
                "token-api", null, null, "u1", "jira");

        assertThat(body).containsEntry("error", "provider_unavailable");
        assertThat(headers).containsEntry(Exchange.HTTP_RESPONSE_CODE, 503).containsEntry("Retry-After", 3L);
    }
}
