package dev.oauthbroker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.refresh.JdbcRefreshLeases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Migration V12's triggers, heard on a connection of the test's own: every change of a grant or of
 * the tools pointing at it notifies {@code grant_changed} with its user, at commit; bookkeeping no
 * answer shows does not; a rolled-back change sends nothing.
 */
class GrantNotificationsTests extends BrokerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcRefreshLeases leases;

    private Connection listener;

    @BeforeEach
    void listen() throws SQLException {
        listener = dataSource.getConnection();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + GrantChangeListener.CHANNEL);
        }
    }

    @AfterEach
    void unlisten() throws SQLException {
        try (Statement statement = listener.createStatement()) {
            statement.execute("UNLISTEN *");
        }
        listener.close();
    }

    @Test
    void everyWriteOfTheStoreNotifiesItsUser() throws SQLException {
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-1", "rt-SECRET-1", 3600L);
        assertThat(heard()).as("connect: the grant and its tools").isNotEmpty().containsOnly("alice");

        grantStore.markReauthRequired(grant, "invalid_grant");
        assertThat(heard()).containsExactly("alice");

        grantStore.detach("alice", "jira");
        grantStore.detach("alice", "confluence");
        assertThat(heard()).isNotEmpty().containsOnly("alice");
    }

    @Test
    void handWrittenSqlNotifiesAndTruncateNotifiesEveryone() throws SQLException {
        Grant grant = connected("bob", "github", List.of("github"), "gho_SECRET-1", null, null);
        heard();

        jdbc.update("update grants set scopes = 'repo' where id = ?", grant.id());
        assertThat(heard()).containsExactly("bob");
        jdbc.update("update grant_tools set user_id = 'carol' where grant_id = ?", grant.id());
        assertThat(heard()).containsExactlyInAnyOrder("bob", "carol");
        jdbc.update("delete from grant_tools where grant_id = ?", grant.id());
        assertThat(heard()).containsExactly("carol");

        jdbc.execute("truncate grant_events, grant_tools, grants");
        assertThat(heard()).containsExactly("*");
    }

    @Test
    void bookkeepingAndRolledBackChangesSendNothing() throws SQLException {
        Grant grant = connected("dave", "github", List.of("github"), "gho_SECRET-1", null, null);
        heard();

        assertThat(leases.claim(grant.id(), "me")).isTrue();
        leases.release(grant.id(), "me");
        grantStore.markValidated(grant);
        grantStore.recordRefreshFailure(grant, "http_503");
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update grants set scopes = 'rolled back' where id = ?", grant.id());
            tx.setRollbackOnly();
        });
        assertThat(heard()).isEmpty();
    }

    /** The payloads delivered so far, after a barrier notification of the test's own (which is not returned). */
    private List<String> heard() throws SQLException {
        jdbc.execute("select pg_notify('" + GrantChangeListener.CHANNEL + "', 'barrier')");
        List<String> payloads = new ArrayList<>();
        PGConnection pg = listener.unwrap(PGConnection.class);
        while (true) {
            PGNotification[] batch = pg.getNotifications(5000);
            assertThat(batch).as("the barrier arrives").isNotEmpty();
            for (PGNotification notification : batch) {
                if (notification.getParameter().equals("barrier")) {
                    return payloads;
                }
                payloads.add(notification.getParameter());
            }
        }
    }
}
