package dev.oauthbroker.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class JdbcStateStoreTests extends BrokerIntegrationTest {

    @Autowired
    JdbcStateStore states;

    @Autowired
    CamelContext camel;

    @Test
    void theStateSweepRouteDeletesLeftoverStatesAndTheirVerifiersAfterFifteenMinutes() {
        states.save("old-state", new PendingAuthorization("u1", "google", List.of("google_workspace"), null, "verifier-old", Instant.now().minusSeconds(16 * 60)));
        states.save("recent-state", new PendingAuthorization("u1", "google", List.of("google_workspace"), null, "verifier-new", Instant.now().minusSeconds(5 * 60)));

        ((ScheduledPollConsumer) camel.getRoute("callback-state-sweep").getConsumer()).run();

        assertThat(states.consume("old-state")).isEmpty();
        assertThat(states.consume("recent-state")).hasValueSatisfying(p -> assertThat(p.codeVerifier()).isEqualTo("verifier-new"));
    }

    @Test
    void theStateItselfIsNeverStoredOnlyItsHash() {
        states.save("the-state-value", new PendingAuthorization("u1", "github", List.of("github"), null, null, Instant.now()));
        byte[] stored = jdbc.queryForObject("select state_hash from oauth_states", byte[].class);
        assertThat(stored).hasSize(32);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("the-state-value");
    }
}
