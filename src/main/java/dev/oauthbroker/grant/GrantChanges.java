package dev.oauthbroker.grant;

/**
 * Told of every change this process has just committed to a user's grants, by {@link JdbcGrantStore}
 * itself, so that what this instance keeps in memory (the token cache) is exact for its own writes
 * at once, without waiting for the change's PostgreSQL notification (which tells every instance,
 * this one included, of every write — also those of other processes and of hand-written SQL).
 */
@FunctionalInterface
public interface GrantChanges {

    /** Nothing to tell: a store without a cache (the CLI, unit tests). */
    GrantChanges NONE = userId -> {};

    /** The grants of {@code userId} changed (committed). */
    void changed(String userId);
}
