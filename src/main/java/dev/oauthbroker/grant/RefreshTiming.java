package dev.oauthbroker.grant;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.provider.ProviderCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * When a grant's access token is due for a refresh: within its provider's {@code refreshBuffer}
 * of expiry (default {@code broker.refresh.buffer}), by the rule of {@link Grant#needsRefresh}.
 */
@Component
public class RefreshTiming {

    private final Function<String, Duration> bufferOfProvider;

    @Autowired
    public RefreshTiming(ProviderCatalog catalog, BrokerProperties properties) {
        this(provider -> {
            Duration own = catalog.provider(provider).refreshBuffer();
            return own != null ? own : properties.refresh().buffer();
        });
    }

    RefreshTiming(Function<String, Duration> bufferOfProvider) {
        this.bufferOfProvider = bufferOfProvider;
    }

    public boolean due(Grant grant, Instant now) {
        return grant.needsRefresh(now, bufferOfProvider.apply(grant.provider()));
    }
}
