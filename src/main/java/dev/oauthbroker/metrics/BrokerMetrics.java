package dev.oauthbroker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the flows count, one method per fact, so a call site stays one line. Tags are bounded
 * vocabularies (provider ids of the catalogue, outcome and reason codes) — never a user or grant id.
 * Names and tags are listed in docs/operations.md, section "Metrics".
 */
@Component
public class BrokerMetrics {

    private final MeterRegistry registry;

    public BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One call to a provider's token endpoint to refresh a grant (each retry is one more). */
    public void refreshAttempt(String provider) {
        Counter.builder("broker.refresh.attempts").description("refresh calls to a provider's token endpoint, retries included")
                .tag("provider", provider).register(registry).increment();
    }

    /** How a refresh ended: {@code outcome} is a RefreshResult outcome, {@code reason} its code (or {@code none}). */
    public void refreshOutcome(String provider, String outcome, String reason) {
        Counter.builder("broker.refresh.outcomes").description("refreshes by how they ended")
                .tag("provider", provider).tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT))
                .tag("reason", reason == null ? "none" : reason).register(registry).increment();
    }

    /** A caller that waited on a refresh already in flight instead of calling the provider itself. */
    public void coalescedWaiter(String provider) {
        Counter.builder("broker.refresh.coalesced").description("callers served by a refresh already in flight")
                .tag("provider", provider).register(registry).increment();
    }

    /** A revocation at the provider: {@code revoked}, {@code failed}, {@code unsupported} or {@code skipped}. */
    public void revocation(String provider, String result) {
        Counter.builder("broker.revocations").description("token revocations at providers by result")
                .tag("provider", provider).tag("result", result).register(registry).increment();
    }

    /** One grant's validation verdict: {@code valid}, {@code reauth_required} or {@code error}. */
    public void validation(String provider, String verdict) {
        Counter.builder("broker.validations").description("grant validations by verdict")
                .tag("provider", provider).tag("verdict", verdict).register(registry).increment();
    }

    /** A completed consent stored as a grant. */
    public void connected(String provider) {
        Counter.builder("broker.connections").description("consents stored as grants")
                .tag("provider", provider).register(registry).increment();
    }

    /**
     * A finished validation sweep: its duration, and its grants by result (the summary's
     * {@code valid}, {@code refreshed}, {@code reauthRequired}, {@code errors}, {@code skippedUndecryptable}).
     */
    public void sweep(Map<String, Object> summary) {
        Timer.builder("broker.sweep.duration").description("validation sweep runs")
                .register(registry).record(Duration.ofMillis(((Number) summary.get("durationMs")).longValue()));
        for (String result : new String[] {"valid", "refreshed", "reauthRequired", "errors", "skippedUndecryptable"}) {
            Object count = summary.get(result);
            Counter.builder("broker.sweep.grants").description("grants seen by validation sweeps, by result")
                    .tag("result", result).register(registry).increment(count instanceof Number n ? n.doubleValue() : 0);
        }
    }
}
