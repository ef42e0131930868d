package dev.oauthbroker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.OAuthBrokerApplication;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import dev.oauthbroker.TestJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The shared provider call with Camel's test kit: {@code AdviceWith} replaces the step
 * {@code provider-call-http} of route {@code provider-call-send} by a mock provider, so the flows
 * around it — classification, the retry policy of {@code error-handling.camel.yaml}, the token
 * route's answer — run unchanged against answers the test chooses.
 */
@CamelSpringBootTest
@SpringBootTest(classes = OAuthBrokerApplication.class, properties = {"server.port=0", "management.server.port=0",
        "wiremock.base=http://localhost:9", "broker.events.poll=1h"})
@ActiveProfiles("test")
@UseAdviceWith
@Tag("extra-contexts")
@ResourceLock(TestJvm.LOCK)
class ProviderCallAdviceTests {

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate routes;

    @Autowired
    JdbcGrantStore grants;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aProviderAnswering503IsAskedThreeTimesThenTheCallerGetsUnavailable() throws Exception {
        AdviceWith.adviceWith(camel, "provider-call-send",
                route -> route.weaveById("provider-call-http").replace().to("mock:provider"));
        MockEndpoint provider = camel.getEndpoint("mock:provider", MockEndpoint.class);
        provider.whenAnyExchangeReceived(answer -> {
            answer.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
            answer.getMessage().setBody("{\"error\":\"temporarily_unavailable\"}");
        });
        provider.expectedMessageCount(3);
        camel.start();
        grants.connect("advised-user", "google", List.of("google_workspace"),
                new TokenSet("ya29.SECRET-advised", "1//SECRET-advised", "Bearer", 3600L, List.of()));
        jdbc.update("update grants set expires_at = now() - interval '1 minute' where user_id = 'advised-user'");

        Exchange answer = routes.send("direct:token", call -> {
            call.setProperty("userId", "advised-user");
            call.setProperty("toolType", "google_workspace");
        });

        assertThat(answer.getException()).isInstanceOfSatisfying(BrokerException.class,
                refused -> assertThat(refused.kind()).isEqualTo(BrokerException.Kind.UNAVAILABLE));
        provider.assertIsSatisfied();
    }
}
