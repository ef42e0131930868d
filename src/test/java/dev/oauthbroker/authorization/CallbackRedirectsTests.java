package dev.oauthbroker.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.BrokerPropertiesTests;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class CallbackRedirectsTests {

    final BrokerProperties properties = BrokerPropertiesTests.properties("https://broker.example.com", "https://app.example.com/", List.of());
    final CallbackRedirects redirects = new CallbackRedirects(properties);

    @Test
    void successAndFailureOnlyEverGoToTheConfiguredFrontend() {
        Exchange ok = new DefaultExchange(new DefaultCamelContext());
        ok.getMessage().setHeader("Authorization", "Bearer should-not-survive");
        redirects.success("pending-id_1", ok.getMessage());
        assertThat(ok.getMessage().getHeader("Location")).isEqualTo("https://app.example.com/integrations/callback?pending=pending-id_1");
        assertThat(ok.getMessage().getHeader("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(ok.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(302);
        assertThat(ok.getMessage().getHeader("Authorization")).isNull();

        Exchange failed = new DefaultExchange(new DefaultCamelContext());
        redirects.failure(new CallbackRejectedException("invalid_state", "This sign-in link is not valid."), failed.getMessage());
        assertThat((String) failed.getMessage().getHeader("Location"))
                .startsWith("https://app.example.com/integrations/callback?success=false&error=invalid_state&message=This%20sign-in");
    }

    @Test
    void anAdminConsentEndsOnTheFrontendTooWithTheBucketItConcerns() {
        Exchange granted = new DefaultExchange(new DefaultCamelContext());
        redirects.adminConsented("microsoft", granted.getMessage());
        assertThat(granted.getMessage().getHeader("Location"))
                .isEqualTo("https://app.example.com/integrations/callback?success=true&adminConsent=granted&bucket=microsoft");
        assertThat(granted.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(302);

        Exchange needed = new DefaultExchange(new DefaultCamelContext());
        redirects.failure(new CallbackRejectedException("admin_consent_required", "Ask your administrator.", "microsoft"), needed.getMessage());
        assertThat(needed.getMessage().getHeader("Location")).isEqualTo(
                "https://app.example.com/integrations/callback?success=false&error=admin_consent_required&message=Ask%20your%20administrator.&bucket=microsoft");
    }
}

