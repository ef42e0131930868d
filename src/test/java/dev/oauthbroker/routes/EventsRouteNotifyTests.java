package dev.oauthbroker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.Grant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The scheduled {@code events} route, observed with Camel's {@link NotifyBuilder}: a change's event
 * is handed to {@code direct:events-sink} by the next poll and marked delivered — awaited on the
 * route itself, not by sleeping.
 */
class EventsRouteNotifyTests extends BrokerIntegrationTest {

    @Autowired
    CamelContext camel;

    @Test
    void aConnectionsEventIsDeliveredToTheSinkByTheNextPollAndMarkedDelivered() {
        Grant grant = connected("notified-user", "google", List.of("google_workspace"), "ya29.SECRET-n", "1//SECRET-n", 3600L);
        // the second poll to complete from now started after the change was committed
        NotifyBuilder polled = new NotifyBuilder(camel).fromRoute("events").whenCompleted(2).create();

        assertThat(polled.matches(10, TimeUnit.SECONDS)).as("the scheduled events route polled twice within 10 s").isTrue();
        org.awaitility.Awaitility.await().until(() -> jdbc.queryForObject(
                "select count(*) from grant_events where grant_id = ? and event = 'connected' and delivered_at is not null",
                Integer.class, grant.id()) == 1);
    }
}
