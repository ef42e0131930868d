package dev.oauthbroker.refresh;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.AmbiguousRefreshException;
import dev.oauthbroker.provider.LostRefreshAnswerException;
import dev.oauthbroker.provider.TransientProviderException;
import dev.oauthbroker.provider.ProviderException;
import org.apache.camel.ExchangeProperty;
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

    private final ProviderCatalog catalog;

    public RefreshTimeouts(ProviderCatalog catalog) {
        this.catalog = catalog;
    }

    /** doCatch step of a lost refresh answer: throws how the loss is to be treated. */
    public void classify(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant,
                         @ExchangeProperty(ExchangeProperties.LOST_ANSWERS) int lostAnswers) {
        throw treatment(catalog.provider(grant.provider()), lostAnswers);
    }

    /** The rule above, for the {@code lostAnswers}-th lost answer of one refresh. */
    static ProviderException treatment(Provider provider, int lostAnswers) {
        if (provider.mayReplayRefreshToken()) {
            return new TransientProviderException("read_timeout", null);
        }
        if (!provider.replayAfterTimeout()) {
            return new AmbiguousRefreshException();
        }
        return lostAnswers > 1 ? new LostRefreshAnswerException() : new TransientProviderException("read_timeout", null);
    }
}
