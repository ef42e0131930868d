package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.BrokerInstances;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every response carrying a token says {@code Cache-Control: no-store} (RFC 6749 §5.1). */
@Tag("extra-contexts")
class TokenCachingTests extends BrokerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theInternalTokenAnswerIsNeverCached() {
        connected("alice", "github", List.of("github"), "at-SECRET-g", null, null);
        HttpResponse<String> token = internalToken("alice", "github", false);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().allValues("Cache-Control")).containsExactly("no-store");
    }

    @Test
    void theDemoSignInAndTheSandboxTokenEndpointAreNeverCached() {
        String demo = BrokerInstances.demoOn(dataSource).baseUrl();
        HttpResponse<String> session = send(HttpRequest.newBuilder(URI.create(demo + "/api/demo/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"alice\"}")).build());
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(json(session).has("token")).isTrue();
        assertThat(session.headers().allValues("Cache-Control")).containsExactly("no-store");

        HttpResponse<String> sandbox = send(HttpRequest.newBuilder(URI.create(demo + "/sandbox/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=unknown")).build());
        assertThat(sandbox.statusCode()).isEqualTo(401);
        assertThat(sandbox.headers().allValues("Cache-Control")).containsExactly("no-store");
    }
}
