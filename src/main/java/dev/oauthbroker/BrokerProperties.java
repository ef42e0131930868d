package dev.oauthbroker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The service's own settings ({@code broker.*} in application.yaml, each mapped from an environment
 * variable listed in docs/configuration.md, "Configuration reference"). Checked at startup: a bad value stops
 * the service with the property, its value and the variable to fix. Camel routes read some of the
 * same keys as {@code {{broker.x}}} placeholders.
 *
 * @param publicBaseUrl this service's external URL ({@code PUBLIC_BASE_URL})
 * @param frontendUrl where the callback sends the browser; empty = the bundled UI ({@code FRONTEND_URL})
 * @param providersFile the provider catalogue ({@code BROKER_PROVIDERS_FILE})
 * @param catalogueReload how often the catalogue file is looked at for a change to load without restart; 0 = never ({@code BROKER_CATALOGUE_RELOAD})
 * @param corsOrigins browser origins allowed to call the user API ({@code BROKER_CORS_ORIGINS})
 * @param requestDeadline the longest any request takes before our own answer ({@code BROKER_REQUEST_DEADLINE})
 * @param refresh token refresh: buffer, retries, queues and leases
 * @param state connect flows in flight
 * @param maxBody largest request body accepted ({@code BROKER_MAX_BODY})
 * @param dataDir local state of the embedded default ({@code BROKER_DATA_DIR})
 * @param embeddedPostgres the embedded PostgreSQL used when no datasource URL is set
 * @param http timeouts of provider calls
 * @param breaker each provider's circuit breaker
 * @param sweep the scheduled validation sweep
 * @param events delivery of the connection events outbox
 * @param sandbox the built-in sandbox OAuth provider
 * @param metrics what the Prometheus endpoint reads from the database
 * @param clients the host's backend clients and the guard against guessed keys
 * @param tokenCache the in-memory cache of grants on the token path (docs/token-lifecycle.md "Token cache")
 * @param debugOauth the flows' debug detail in the logs ({@code DEBUG_OAUTH}; read before logging starts by logging/DebugOAuth)
 */
@Validated
@ConfigurationProperties("broker")
public record BrokerProperties(
        @DefaultValue("http://localhost:8080") @Pattern(regexp = "https?://.+", message = "must be an http(s) URL (PUBLIC_BASE_URL)") String publicBaseUrl,
        @DefaultValue("") @Pattern(regexp = "(https?://.+)?", message = "must be empty or an http(s) URL (FRONTEND_URL)") String frontendUrl,
        @DefaultValue("config/providers.yaml") @NotBlank(message = "must name the catalogue file (BROKER_PROVIDERS_FILE)") String providersFile,
        @DefaultValue("0s") @NotNull Duration catalogueReload,
        @DefaultValue List<String> corsOrigins,
        @DefaultValue("10s") @DurationMin(millis = 100, message = "must be at least 100ms (BROKER_REQUEST_DEADLINE)") Duration requestDeadline,
        @DefaultValue @Valid Refresh refresh,
        @DefaultValue @Valid State state,
        @DefaultValue("64KB") @NotNull DataSize maxBody,
        @DefaultValue(".data") @NotBlank(message = "must name a folder (BROKER_DATA_DIR)") String dataDir,
        @DefaultValue @Valid EmbeddedPostgres embeddedPostgres,
        @DefaultValue @Valid Http http,
        @DefaultValue @Valid Breaker breaker,
        @DefaultValue @Valid Sweep sweep,
        @DefaultValue @Valid Events events,
        @DefaultValue @Valid Sandbox sandbox,
        @DefaultValue @Valid Metrics metrics,
        @DefaultValue @Valid Clients clients,
        @DefaultValue @Valid TokenCache tokenCache,
        @DefaultValue("false") boolean debugOauth) {

    /** Where the browser lands after a callback: {@code FRONTEND_URL}, else this service's own UI. */
    public String frontendBase() {
        String base = frontendUrl.isBlank() ? publicBaseUrl : frontendUrl;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * Browser origins allowed to call the user API across origins: {@code BROKER_CORS_ORIGINS}, else
     * the origin of {@link #frontendBase()}.
     */
    public List<String> allowedOrigins() {
        if (!corsOrigins.isEmpty()) {
            return corsOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).map(BrokerProperties::originOf).toList();
        }
        return List.of(originOf(frontendBase()));
    }

    private static String originOf(String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute URL: " + url);
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT);
    }

    public String redirectUri() {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + "/oauth/callback";
    }

    /**
     * Refresh timing and retry delays (the number of attempts and the backoff's growth are written in
     * the redeliveryPolicy of {@code routes/error-handling.camel.yaml}).
     *
     * @param buffer refresh access tokens this long before they expire ({@code BROKER_REFRESH_BUFFER})
     * @param initialDelay first wait between attempts, ms ({@code BROKER_REFRESH_INITIAL_DELAY_MS})
     * @param maxDelay longest wait between attempts, also the cap of Retry-After, ms ({@code BROKER_REFRESH_MAX_DELAY_MS})
     * @param queuePerProvider refreshes waiting for one provider's threads ({@code BROKER_REFRESH_QUEUE_PER_PROVIDER})
     * @param lease a refresh's claim on its grant across instances ({@code BROKER_REFRESH_LEASE})
     * @param leasePoll how often a waiter on another instance's refresh looks again ({@code BROKER_REFRESH_LEASE_POLL})
     * @param rejectedGrace a token reported rejected within this time of its issue is not refreshed again ({@code BROKER_REJECTED_TOKEN_GRACE})
     */
    public record Refresh(
            @DefaultValue("5m") @NotNull Duration buffer,
            @DefaultValue("1000") @Min(value = 0, message = "must be 0 or more (BROKER_REFRESH_INITIAL_DELAY_MS)") long initialDelay,
            @DefaultValue("30000") @Min(value = 0, message = "must be 0 or more (BROKER_REFRESH_MAX_DELAY_MS)") long maxDelay,
            @DefaultValue("256") @Min(value = 1, message = "must be at least 1 (BROKER_REFRESH_QUEUE_PER_PROVIDER)") int queuePerProvider,
            @DefaultValue("30s") @DurationMin(seconds = 1, message = "must be at least 1s (BROKER_REFRESH_LEASE)") Duration lease,
            @DefaultValue("100ms") @DurationMin(millis = 1, message = "must be at least 1ms (BROKER_REFRESH_LEASE_POLL)") Duration leasePoll,
            @DefaultValue("10s") @DurationMin(millis = 0, message = "must be 0 or more (BROKER_REJECTED_TOKEN_GRACE)") Duration rejectedGrace) {}

    /**
     * Connect flows in flight: how long the provider may take to call back ({@code maxAge}), how
     * long a called-back code waits for its user to complete ({@code completionMaxAge}), when
     * leftovers are swept, and how many flows one user may have in flight (the oldest dropped).
     *
     * @param maxAge an authorization request must come back within this time ({@code BROKER_STATE_MAX_AGE})
     * @param completionMaxAge a called-back code waits this long for its user ({@code BROKER_COMPLETION_MAX_AGE})
     * @param sweepAfter leftover states, PKCE verifiers and kept codes older than this are deleted ({@code BROKER_STATE_SWEEP_AFTER})
     * @param maxPerUser connect flows one user may have in flight ({@code BROKER_STATE_MAX_PER_USER})
     * @param adminConsentMaxAge an admin-consent link works this long: a user forwards it to their
     *     administrator, who may take days, so far longer than a sign-in ({@code BROKER_ADMIN_CONSENT_MAX_AGE})
     */
    public record State(@DefaultValue("10m") @NotNull Duration maxAge, @DefaultValue("5m") @NotNull Duration completionMaxAge,
                        @DefaultValue("15m") @NotNull Duration sweepAfter,
                        @DefaultValue("20") @Min(value = 1, message = "must be at least 1 (BROKER_STATE_MAX_PER_USER)") int maxPerUser,
                        @DefaultValue("7d") @DurationMin(minutes = 1, message = "must be at least 1m (BROKER_ADMIN_CONSENT_MAX_AGE)") Duration adminConsentMaxAge) {}

    /**
     * @param dataDir database files; empty = a throwaway folder ({@code BROKER_EMBEDDED_PG_DIR})
     * @param port 0 = any free port ({@code BROKER_EMBEDDED_PG_PORT})
     * @param attachRunning use a server already running on {@code dataDir} (the CLI) instead of starting one
     */
    public record EmbeddedPostgres(@DefaultValue("") String dataDir,
                                   @DefaultValue("0") @Min(value = 0, message = "must be 0 to 65535 (BROKER_EMBEDDED_PG_PORT)")
                                   @Max(value = 65535, message = "must be 0 to 65535 (BROKER_EMBEDDED_PG_PORT)") int port,
                                   @DefaultValue("false") boolean attachRunning) {}

    /**
     * @param connectTimeout ms to connect to a provider ({@code BROKER_HTTP_CONNECT_TIMEOUT_MS})
     * @param readTimeout ms to wait for a provider's answer ({@code BROKER_HTTP_READ_TIMEOUT_MS})
     */
    public record Http(@DefaultValue("5000") @Min(value = 1, message = "must be at least 1 ms (BROKER_HTTP_CONNECT_TIMEOUT_MS)") long connectTimeout,
                       @DefaultValue("8000") @Min(value = 1, message = "must be at least 1 ms (BROKER_HTTP_READ_TIMEOUT_MS)") long readTimeout) {}

    /**
     * @param failureThreshold consecutive transient failures that open it ({@code BROKER_BREAKER_FAILURE_THRESHOLD})
     * @param openDuration how long it stays open before one probe ({@code BROKER_BREAKER_OPEN_DURATION})
     */
    public record Breaker(@DefaultValue("5") @Min(value = 1, message = "must be at least 1 (BROKER_BREAKER_FAILURE_THRESHOLD)") int failureThreshold,
                          @DefaultValue("30s") @DurationMin(millis = 1, message = "must be positive (BROKER_BREAKER_OPEN_DURATION)") Duration openDuration) {}

    /**
     * @param enabled run the scheduled sweep on this instance ({@code BROKER_SWEEP_ENABLED})
     * @param cron when, as a Spring cron ({@code BROKER_SWEEP_CRON})
     * @param parallelism grants validated at once ({@code BROKER_SWEEP_PARALLELISM})
     * @param poll how often an instance looks for an open run to join ({@code BROKER_SWEEP_POLL})
     * @param batch grants one claim takes from a run ({@code BROKER_SWEEP_BATCH})
     * @param claim how long a claimed batch stays this instance's; a dead instance's is claimed again after it ({@code BROKER_SWEEP_CLAIM})
     */
    public record Sweep(@DefaultValue("true") boolean enabled,
                        @DefaultValue("0 0 */6 * * *") @NotBlank(message = "must be a Spring cron expression (BROKER_SWEEP_CRON)") String cron,
                        @DefaultValue("16") @Min(value = 1, message = "must be at least 1 (BROKER_SWEEP_PARALLELISM)") int parallelism,
                        @DefaultValue("10s") @DurationMin(millis = 10, message = "must be at least 10ms (BROKER_SWEEP_POLL)") Duration poll,
                        @DefaultValue("64") @Min(value = 1, message = "must be at least 1 (BROKER_SWEEP_BATCH)") int batch,
                        @DefaultValue("5m") @DurationMin(seconds = 1, message = "must be at least 1s (BROKER_SWEEP_CLAIM)") Duration claim) {}

    /**
     * @param poll how often the outbox is polled for events to deliver ({@code BROKER_EVENTS_POLL})
     * @param batch events claimed per poll, the oldest undelivered one of each grant ({@code BROKER_EVENTS_BATCH})
     * @param lease how long an instance holds the events it is delivering ({@code BROKER_EVENTS_LEASE})
     * @param retryDelay a failing sink's next try, doubling per attempt ({@code BROKER_EVENTS_RETRY_DELAY})
     * @param retryMaxDelay longest wait between a failing sink's tries ({@code BROKER_EVENTS_RETRY_MAX_DELAY})
     * @param webhookSecret key of signed webhook deliveries: {@code whsec_<base64>} or plain text ({@code BROKER_WEBHOOK_SECRET})
     */
    public record Events(@DefaultValue("1s") @DurationMin(millis = 10, message = "must be at least 10ms (BROKER_EVENTS_POLL)") Duration poll,
                         @DefaultValue("50") @Min(value = 1, message = "must be at least 1 (BROKER_EVENTS_BATCH)") int batch,
                         @DefaultValue("10m") @DurationMin(seconds = 1, message = "must be at least 1s (BROKER_EVENTS_LEASE)") Duration lease,
                         @DefaultValue("5s") @DurationMin(millis = 1, message = "must be positive (BROKER_EVENTS_RETRY_DELAY)") Duration retryDelay,
                         @DefaultValue("10m") @DurationMin(millis = 1, message = "must be positive (BROKER_EVENTS_RETRY_MAX_DELAY)") Duration retryMaxDelay,
                         @DefaultValue("") String webhookSecret) {

        @Override
        public String toString() {
            return "Events[poll=" + poll + ", batch=" + batch + ", lease=" + lease + ", retryDelay=" + retryDelay
                    + ", retryMaxDelay=" + retryMaxDelay + ", webhookSecret=" + (webhookSecret.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * @param enabled serve the built-in sandbox provider ({@code BROKER_SANDBOX_ENABLED})
     * @param clientId its client id ({@code SANDBOX_CLIENT_ID})
     * @param clientSecret its client secret ({@code SANDBOX_CLIENT_SECRET})
     * @param accessTokenLifetime lifetime of the access tokens it issues ({@code BROKER_SANDBOX_TOKEN_LIFETIME})
     */
    public record Sandbox(@DefaultValue("false") boolean enabled, @DefaultValue("oauth-broker-sandbox") String clientId,
                          @DefaultValue("") String clientSecret,
                          @DefaultValue("2m") @DurationMin(seconds = 1, message = "must be at least 1s (BROKER_SANDBOX_TOKEN_LIFETIME)") Duration accessTokenLifetime) {

        @Override
        public String toString() {
            return "Sandbox[enabled=" + enabled + ", clientId=" + clientId + ", accessTokenLifetime=" + accessTokenLifetime + "]";
        }
    }

    /** @param grantCountsTtl how long the grant counts by status are kept between database reads ({@code BROKER_METRICS_GRANT_COUNTS_TTL}) */
    public record Metrics(@DefaultValue("15s") @NotNull Duration grantCountsTtl) {}

    /**
     * Backend clients (docs/operations.md "Backend clients").
     *
     * @param file the clients file; absent = only {@code BROKER_SERVICE_KEY} ({@code BROKER_CLIENTS_FILE})
     * @param reload how often a changed clients file is looked for; 0 = on every request ({@code BROKER_CLIENTS_RELOAD})
     * @param authFailureLimit failed authentications one source address may make per window ({@code BROKER_AUTH_FAILURE_LIMIT})
     * @param authFailureWindow the window of that limit; past the limit the address gets 429 until it ends ({@code BROKER_AUTH_FAILURE_WINDOW})
     */
    public record Clients(@DefaultValue("config/clients.yaml") @NotBlank(message = "must name the clients file (BROKER_CLIENTS_FILE)") String file,
                          @DefaultValue("2s") @NotNull Duration reload,
                          @DefaultValue("10") @Min(value = 1, message = "must be at least 1 (BROKER_AUTH_FAILURE_LIMIT)") int authFailureLimit,
                          @DefaultValue("1m") @DurationMin(seconds = 1, message = "must be at least 1s (BROKER_AUTH_FAILURE_WINDOW)") Duration authFailureWindow) {}

    /**
     * The per-instance cache of grants on the token path, kept exact by PostgreSQL notifications.
     *
     * @param size grants kept in memory; 0 turns the cache off ({@code BROKER_TOKEN_CACHE_SIZE})
     * @param heartbeat how long the notification connection may stay silent before a query checks it ({@code BROKER_TOKEN_CACHE_HEARTBEAT})
     * @param reconnectMaxDelay longest wait between attempts to listen again after the connection was lost ({@code BROKER_TOKEN_CACHE_RECONNECT_MAX_DELAY})
     */
    public record TokenCache(@DefaultValue("100000") @Min(value = 0, message = "must be 0 (off) or more (BROKER_TOKEN_CACHE_SIZE)") long size,
                             @DefaultValue("5s") @DurationMin(millis = 100, message = "must be at least 100ms (BROKER_TOKEN_CACHE_HEARTBEAT)") Duration heartbeat,
                             @DefaultValue("1s") @DurationMin(millis = 10, message = "must be at least 10ms (BROKER_TOKEN_CACHE_RECONNECT_MAX_DELAY)") Duration reconnectMaxDelay) {}
}
