package dev.oauthbroker.refresh;

import dev.oauthbroker.BrokerProperties;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The cluster-wide refresh lease of a grant, held in its row ({@code grants.refresh_lease_owner},
 * {@code refresh_lease_until}): one statement each, no transaction or connection held while the
 * provider answers. The lease ends with the write of new tokens (the grant store's
 * {@code saveRefreshed} clears it in the same statement), with {@link #release}, or when it expires
 * after {@code broker.refresh.lease} — long enough for a refresh that keeps to its deadline.
 */
@Component
public class JdbcRefreshLeases {

    private static final String CLAIM = """
            update grants set refresh_lease_owner = ?, refresh_lease_until = now() + make_interval(secs => ?)
            where id = ? and deleted_at is null and (refresh_lease_until is null or refresh_lease_until < now())""";
    private static final String RELEASE = """
            update grants set refresh_lease_owner = null, refresh_lease_until = null where id = ? and refresh_lease_owner = ?""";

    private final JdbcTemplate jdbc;
    private final Duration lease;

    @Autowired
    public JdbcRefreshLeases(JdbcTemplate jdbc, BrokerProperties broker) {
        this(jdbc, broker.refresh().lease());
    }

    /** {@code lease}: how long a claim lasts ({@code broker.refresh.lease}). */
    public JdbcRefreshLeases(JdbcTemplate jdbc, Duration lease) {
        this.jdbc = jdbc;
        this.lease = lease;
    }

    /** Claims the lease of a grant that is not disconnected for {@code owner}: true when no unexpired lease was held. */
    public boolean claim(UUID grantId, String owner) {
        return jdbc.update(CLAIM, owner, (double) lease.toMillis() / 1000, grantId) == 1;
    }

    /** Gives the lease back, if {@code owner} still holds it. */
    public void release(UUID grantId, String owner) {
        jdbc.update(RELEASE, grantId, owner);
    }
}
