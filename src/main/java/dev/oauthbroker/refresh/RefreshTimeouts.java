package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.token.AmbiguousRefreshException;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.token.TransientProviderException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The rule for a refresh whose answer never came (read timeout after the request was sent): the
 * provider may have rotated the refresh token already. Resending is safe only when its refresh
 * tokens do not rotate, or it honours a used one for a while (Atlassian: 10 minutes) — then the
 * timeout is retried like any transient failure. Otherwise resending could make the provider
 * revoke the whole token family (RFC 9700 §4.14.2), so the grant is marked
 * {@code reauth_required} with reason {@code ambiguous} instead.
 */
@Component("refreshTimeouts")
public class RefreshTimeouts {

    private final ProviderCatalog catalog;

    public RefreshTimeouts(ProviderCatalog catalog) {
        this.catalog = catalog;
    }

    /** doCatch step for {@link java.net.SocketTimeoutException} around the refresh call. */
    public void classify(Exchange exchange) {
        Grant grant = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        if (catalog.provider(grant.provider()).mayReplayRefreshToken()) {
            throw new TransientProviderException("read_timeout", null);
        }
        throw new AmbiguousRefreshException();
    }
}
