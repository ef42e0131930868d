package dev.oauthbroker.grant;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.events.JdbcEventOutbox;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The grant store the flows' beans call, in memory, for their unit tests: the methods they use
 * ({@code find}, {@code findByUserTool}, {@code listForUser}, the fenced writes and {@code event})
 * keep the contract {@link JdbcGrantStore} documents (writes fenced on the token version read, none on
 * a disconnected grant, a refresh without a refresh token keeping the old one, one listing no scopes
 * keeping the granted set) and record each write that took effect. Any other method has no database
 * behind it and fails ("No DataSource set"). The SQL itself is tested on PostgreSQL elsewhere.
 *
 * <p>The one seam between those tests and the store's class: when the store is split, only this
 * class follows.
 */
public class InMemoryGrantStore extends JdbcGrantStore {

    /** A refresh's tokens written for a grant (as the writer read it). */
    public record Saved(Grant sent, TokenSet tokens) {}

    /** A grant marked with a reason (reauth required, refresh failure). */
    public record Marked(UUID grantId, String reason) {}

    /** A connection event written. */
    public record Event(UUID grantId, String userId, String event, String detail) {}

    private final Clock clock;
    private final Map<UUID, Grant> grants = new LinkedHashMap<>();
    private final List<Saved> saved = new ArrayList<>();
    private final List<Marked> reauthRequired = new ArrayList<>();
    private final List<Marked> refreshFailures = new ArrayList<>();
    private final List<UUID> validated = new ArrayList<>();
    private final RecordingOutbox outbox;

    public InMemoryGrantStore(Clock clock) {
        this(clock, new RecordingOutbox(clock));
    }

    private InMemoryGrantStore(Clock clock, RecordingOutbox outbox) {
        super(new JdbcTemplate(), new TransactionTemplate(), null, clock, outbox);
        this.clock = clock;
        this.outbox = outbox;
    }

    /** The event outbox of this store: the events it records land in {@link #events()}. */
    public JdbcEventOutbox outbox() {
        return outbox;
    }

    /** Stores (or replaces) the grant as it is. */
    public Grant put(Grant grant) {
        grants.put(grant.id(), grant);
        return grant;
    }

    /** Soft-deletes the grant, as a disconnect does (still found by id, as {@code disconnected}). */
    public void disconnect(UUID grantId) {
        Grant g = grants.get(grantId);
        grants.put(grantId, copy(g, GrantStatus.disconnected, g.accessToken(), g.refreshToken(), g.tokenType(), g.scopes(),
                g.expiresAt(), g.tokenVersion(), g.lastRefreshedAt(), g.lastValidatedAt(), g.lastError()));
    }

    public List<Saved> saved() {
        return List.copyOf(saved);
    }

    public List<Marked> reauthRequired() {
        return List.copyOf(reauthRequired);
    }

    public List<Marked> refreshFailures() {
        return List.copyOf(refreshFailures);
    }

    public List<UUID> validated() {
        return List.copyOf(validated);
    }

    public List<Event> events() {
        return List.copyOf(outbox.events);
    }

    @Override
    public Optional<Grant> find(UUID id) {
        return Optional.ofNullable(grants.get(id));
    }

    @Override
    public Optional<Grant> findByUserTool(String userId, String tool) {
        return grants.values().stream()
                .filter(g -> g.userId().equals(userId) && g.tools().contains(tool) && g.status() != GrantStatus.disconnected)
                .findFirst();
    }

    @Override
    public List<Grant> listForUser(String userId) {
        return grants.values().stream().filter(g -> g.userId().equals(userId) && g.status() != GrantStatus.disconnected).toList();
    }

    @Override
    public boolean saveRefreshed(Grant grant, TokenSet tokens) {
        Grant stored = grants.get(grant.id());
        if (!current(stored, grant)) {
            return false;
        }
        Instant now = clock.instant();
        Long expiresIn = tokens.expiresInSeconds();
        grants.put(grant.id(), copy(stored, GrantStatus.active, tokens.accessToken(),
                tokens.refreshToken() == null ? stored.refreshToken() : tokens.refreshToken(),
                tokens.tokenType() == null || tokens.tokenType().equalsIgnoreCase("bearer") ? "Bearer" : tokens.tokenType(),
                tokens.scopes().isEmpty() ? stored.scopes() : tokens.scopes(),
                expiresIn == null || expiresIn <= 0 ? null : now.plusSeconds(expiresIn),
                stored.tokenVersion() + 1, now, stored.lastValidatedAt(), null));
        saved.add(new Saved(grant, tokens));
        return true;
    }

    @Override
    public boolean markReauthRequired(Grant grant, String reason) {
        Grant stored = grants.get(grant.id());
        if (!current(stored, grant) || stored.status() != GrantStatus.active) {
            return false;
        }
        grants.put(grant.id(), stored.asReauthRequired(reason));
        reauthRequired.add(new Marked(grant.id(), reason));
        return true;
    }

    @Override
    public void recordRefreshFailure(Grant grant, String reason) {
        Grant stored = grants.get(grant.id());
        if (current(stored, grant)) {
            grants.put(grant.id(), copy(stored, stored.status(), stored.accessToken(), stored.refreshToken(), stored.tokenType(),
                    stored.scopes(), stored.expiresAt(), stored.tokenVersion(), stored.lastRefreshedAt(), stored.lastValidatedAt(), reason));
            refreshFailures.add(new Marked(grant.id(), reason));
        }
    }

    @Override
    public void markValidated(Grant grant) {
        Grant stored = grants.get(grant.id());
        grants.put(grant.id(), copy(stored, stored.status(), stored.accessToken(), stored.refreshToken(), stored.tokenType(),
                stored.scopes(), stored.expiresAt(), stored.tokenVersion(), stored.lastRefreshedAt(), clock.instant(), null));
        validated.add(grant.id());
    }

    /** An outbox that records the events appended instead of writing them. */
    private static final class RecordingOutbox extends JdbcEventOutbox {

        private final List<Event> events = new ArrayList<>();

        RecordingOutbox(Clock clock) {
            super(new JdbcTemplate(), clock, (BrokerProperties.Events) null);
        }

        @Override
        public void append(UUID grantId, String userId, String event, String detail) {
            events.add(new Event(grantId, userId, event, detail));
        }
    }

    /** The fence: the stored grant is still at the version the writer read, and not disconnected. */
    private static boolean current(Grant stored, Grant read) {
        return stored != null && stored.status() != GrantStatus.disconnected && stored.tokenVersion() == read.tokenVersion();
    }

    private static Grant copy(Grant g, GrantStatus status, String accessToken, String refreshToken, String tokenType,
                              List<String> scopes, Instant expiresAt, long tokenVersion, Instant lastRefreshedAt,
                              Instant lastValidatedAt, String lastError) {
        return new Grant(g.id(), g.userId(), g.provider(), status, accessToken, refreshToken, tokenType, scopes, expiresAt,
                tokenVersion, g.connectedAt(), lastRefreshedAt, lastValidatedAt, lastError, g.tools(), g.undecryptable());
    }
}
