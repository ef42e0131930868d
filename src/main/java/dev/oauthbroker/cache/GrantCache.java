package dev.oauthbroker.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenDecryptionException;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantChanges;
import dev.oauthbroker.metrics.TokenCacheMetrics;
import dev.oauthbroker.metrics.TokenCacheMetrics.Cause;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.Tool;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * This instance's grants in memory, keyed by user and tool, at most {@code BROKER_TOKEN_CACHE_SIZE}
 * of them (least recently used dropped first). Only a grant whose answer needs no database is kept
 * and served — the caller's {@code fresh} rule: active, its access token valid and not due for a
 * refresh. Nothing negative is kept (not connected, reauth required): those answers always ask
 * PostgreSQL, so a connect on any instance is seen at once.
 *
 * <p>Exact: every change of a grant, by any process, sends a PostgreSQL notification in its own
 * transaction (migration V12), which {@link GrantChangeListener} turns into {@link #notified};
 * this process's own writes also evict at once ({@link GrantChanges}). A fill that read the
 * database while a change of that user arrived is dropped (a stamp per stripe of users, taken
 * before the read and compared after the put), so a slow read can never store what a change
 * already replaced.
 *
 * <p>Trusted only while the notifications flow ({@link Mode}): without them the cache is bypassed
 * — except while the database itself is unreachable, when no instance can change a grant, so what
 * the cache held when the connection was lost is still exact and is served ({@link Mode#OUTAGE}).
 * Whenever listening starts again the cache is emptied first.
 */
@Component
public class GrantCache implements GrantChanges {

    /** Whether the cache is read and filled. */
    public enum Mode {
        /** Not listening and the database answers (or has not been asked yet): neither read nor filled. */
        BYPASS,
        /** Notifications flow: read and filled. */
        LISTENING,
        /** The database is unreachable: read (what it held when notifications stopped), never filled. */
        OUTAGE
    }

    private static final int STRIPES = 64;

    private final Cache<Key, CachedGrant> entries;
    private final AesGcmTokenCipher cipher;
    private final List<String> tools;
    private final TokenCacheMetrics metrics;
    private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
    private volatile Mode mode = Mode.BYPASS;

    @Autowired
    public GrantCache(BrokerProperties properties, AesGcmTokenCipher cipher, ProviderCatalog catalog, TokenCacheMetrics metrics) {
        this(properties.tokenCache().size(), cipher, catalog.tools().stream().map(Tool::id).toList(), metrics);
    }

    /** {@code size} 0 turns the cache off; {@code tools} are every tool a grant can serve (the catalogue's). */
    public GrantCache(long size, AesGcmTokenCipher cipher, Collection<String> tools, TokenCacheMetrics metrics) {
        this.cipher = cipher;
        this.tools = List.copyOf(tools);
        this.metrics = metrics;
        this.entries = size == 0 ? null : Caffeine.newBuilder().maximumSize(size)
                // evictions happen in the calling thread: the bound is exact and its counter current
                .executor(Runnable::run)
                .<Key, CachedGrant>evictionListener((key, entry, cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        metrics.evicted(Cause.size, 1);
                    }
                })
                .build();
        metrics.watch(() -> mode == Mode.LISTENING, this::size);
    }

    /** False when {@code BROKER_TOKEN_CACHE_SIZE} is 0: nothing is kept and nobody listens. */
    public boolean enabled() {
        return entries != null;
    }

    public Mode mode() {
        return mode;
    }

    public long size() {
        return entries == null ? 0 : entries.estimatedSize();
    }

    /**
     * The user's grant for the tool from memory, its access token decrypted for this answer, when
     * the cache is trusted and {@code fresh} holds for it now; else empty (a miss: ask PostgreSQL).
     */
    public Optional<Grant> cached(String userId, String tool, Predicate<Grant> fresh) {
        if (entries == null) {
            return Optional.empty();
        }
        Key key = new Key(userId, tool);
        CachedGrant entry = mode == Mode.BYPASS ? null : entries.getIfPresent(key);
        if (entry != null && fresh.test(entry.grant())) {
            try {
                Grant grant = entry.opened(cipher);
                metrics.hit();
                return Optional.of(grant);
            } catch (TokenDecryptionException e) {
                // its key was dropped meanwhile: PostgreSQL decides (and marks the grant)
                entries.asMap().remove(key, entry);
            }
        }
        metrics.miss();
        return Optional.empty();
    }

    /**
     * The user's grant for the tool read by {@code database}, kept when the cache is trusted and
     * {@code fresh} holds for it — unless a change of the user arrived while it was read.
     */
    public Optional<Grant> load(String userId, String tool, Supplier<Optional<Grant>> database, Predicate<Grant> fresh) {
        if (entries == null) {
            return database.get();
        }
        int stripe = stripe(userId);
        long stamp = stamps.get(stripe);
        Mode before = mode;
        Optional<Grant> grant = database.get();
        if (before == Mode.OUTAGE) {
            databaseAnswered();
        } else if (before == Mode.LISTENING && grant.isPresent() && grant.get().accessToken() != null && fresh.test(grant.get())) {
            Key key = new Key(userId, tool);
            CachedGrant entry = CachedGrant.sealed(grant.get(), cipher);
            entries.put(key, entry);
            // a change counted after the stamp was taken may be newer than what was read: drop it
            if (stamps.get(stripe) != stamp || mode != Mode.LISTENING) {
                entries.asMap().remove(key, entry);
            }
        }
        return grant;
    }

    /** What the cache holds for the user's tool, as held (sealed); for inspection. */
    public Optional<CachedGrant> peek(String userId, String tool) {
        return entries == null ? Optional.empty() : Optional.ofNullable(entries.getIfPresent(new Key(userId, tool)));
    }

    /** This process committed a change of the user's grants. */
    @Override
    public void changed(String userId) {
        evictUser(userId);
    }

    /** A {@code grant_changed} notification: the payload is a user id, or {@code *} for everyone. */
    public void notified(String payload) {
        if ("*".equals(payload)) {
            evictAll(Cause.notification);
        } else if (payload != null && !payload.isEmpty()) {
            evictUser(payload);
        }
    }

    /** Listening (again) on a new connection: what was kept before may have missed changes, so empty, then trust. */
    synchronized void listening() {
        evictAll(Cause.listener_lost);
        mode = Mode.LISTENING;
    }

    /** The notification connection broke: stop reading and filling until we know whether the database is there. */
    synchronized void suspended() {
        if (mode == Mode.LISTENING) {
            mode = Mode.BYPASS;
        }
    }

    /**
     * Listening again failed because the database cannot be reached: no instance can change a grant
     * now, so what the cache held when notifications stopped is still exact — serve it, fill nothing.
     * True when this is news (the mode changed).
     */
    synchronized boolean outage() {
        Mode before = mode;
        mode = Mode.OUTAGE;
        return before != Mode.OUTAGE;
    }

    /** Listening again failed while the database may be up (refused, killed, full): changes may be missed — empty. True when news. */
    synchronized boolean lost() {
        boolean news = mode != Mode.BYPASS || size() > 0;
        evictAll(Cause.listener_lost);
        mode = Mode.BYPASS;
        return news;
    }

    /** During an outage the database answered this instance again: others may change grants now — stop trusting. */
    private synchronized void databaseAnswered() {
        if (mode == Mode.OUTAGE) {
            evictAll(Cause.listener_lost);
            mode = Mode.BYPASS;
        }
    }

    private void evictUser(String userId) {
        if (entries == null) {
            return;
        }
        stamps.incrementAndGet(stripe(userId));
        long evicted = 0;
        for (String tool : tools) {
            if (entries.asMap().remove(new Key(userId, tool)) != null) {
                evicted++;
            }
        }
        metrics.evicted(Cause.notification, evicted);
    }

    private void evictAll(Cause cause) {
        if (entries == null) {
            return;
        }
        for (int i = 0; i < STRIPES; i++) {
            stamps.incrementAndGet(i);
        }
        long evicted = entries.estimatedSize();
        entries.invalidateAll();
        metrics.evicted(cause, evicted);
    }

    private static int stripe(String userId) {
        return Math.floorMod(userId.hashCode(), STRIPES);
    }

    private record Key(String userId, String tool) {}
}
