package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.token.AmbiguousRefreshException;
import dev.oauthbroker.token.LostRefreshAnswerException;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.token.TransientProviderException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The rule for a refresh whose answer never came (a read timeout, or the connection closed, after
 * the request was sent): the provider may have rotated the refresh token already.
 * <ul>
 *   <li>Refresh tokens that do not rotate, or a used one honoured for a while (Atlassian: 10
 *       minutes): retried like any transient failure.
 *   <li>Rotating tokens: replayed once. That is never worse than not replaying — if the first
 *       request rotated the token the grant is lost either way and the replay gets
 *       {@code invalid_grant}; if it did not, the replay succeeds. A second lost answer leaves the
 *       grant as it is ({@link LostRefreshAnswerException}): only {@code invalid_grant} marks it
 *       {@code reauth_required}.
 *   <li>A provider known to revoke the whole token family on reuse ({@code replayAfterTimeout:
 *       false}): never resent, the grant is marked {@code reauth_required} ({@code ambiguous}).
 * </ul>
 */
@Component("refreshTimeouts")
public class RefreshTimeouts {

    /** Exchange property: this refresh already replayed its rotating refresh token once. */
    static final String REPLAYED = "refreshReplayedAfterTimeout";

    private final ProviderCatalog catalog;

    public RefreshTimeouts(ProviderCatalog catalog) {
        this.catalog = catalog;
    }

    /** doCatch step for {@link java.net.SocketTimeoutException} around the refresh call. */
    public void classify(Exchange exchange) {
        Grant grant = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        Provider provider = catalog.provider(grant.provider());
        if (provider.mayReplayRefreshToken()) {
            throw new TransientProviderException("read_timeout", null);
        }
        if (!provider.replayAfterTimeout()) {
            throw new AmbiguousRefreshException();
        }
        if (Boolean.TRUE.equals(exchange.getProperty(REPLAYED, Boolean.class))) {
            throw new LostRefreshAnswerException();
        }
        exchange.setProperty(REPLAYED, true);
        throw new TransientProviderException("read_timeout", null);
    }
}
