package dev.oauthbroker.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oauthbroker.BrokerIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

class SchemaTests extends BrokerIntegrationTest {

    @Test
    void flywayMigratedARealPostgresql() {
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
        assertThat(jdbc.queryForList("select table_name from information_schema.tables where table_schema = 'public'", String.class))
                .contains("grants", "grant_tools", "oauth_states", "grant_events", "flyway_schema_history");
        assertThat(jdbc.queryForObject("select data_type from information_schema.columns where table_name = 'grants' and column_name = 'expires_at'", String.class))
                .isEqualTo("timestamp with time zone");
    }

    @Test
    void aSecondActiveGrantForOneUserAndToolIsRejected() {
        UUID first = insertGrant("u1");
        UUID second = insertGrant("u1");
        jdbc.update("insert into grant_tools (grant_id, user_id, tool, attached_at) values (?, 'u1', 'jira', now())", first);

        assertThatThrownBy(() -> jdbc.update("insert into grant_tools (grant_id, user_id, tool, attached_at) values (?, 'u1', 'jira', now())", second))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("grant_tools_one_active");

        jdbc.update("update grant_tools set detached_at = now() where grant_id = ?", first);
        jdbc.update("insert into grant_tools (grant_id, user_id, tool, attached_at) values (?, 'u1', 'jira', now())", second);
        assertThat(jdbc.queryForObject("select count(*) from grant_tools where user_id = 'u1' and tool = 'jira'", Integer.class)).isEqualTo(2);
    }

    @Test
    void toolRowsMustPointAtAnExistingGrantAndStatusIsAClosedSet() {
        assertThatThrownBy(() -> jdbc.update("insert into grant_tools (grant_id, user_id, tool, attached_at) values (?, 'u1', 'jira', now())", UUID.randomUUID()))
                .isInstanceOf(DataIntegrityViolationException.class);
        UUID grant = insertGrant("u1");
        assertThatThrownBy(() -> jdbc.update("update grants set status = 'expired' where id = ?", grant))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update("update grants set status = 'disconnected' where id = ?", grant))
                .as("a disconnected grant must carry its deletion time")
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    private UUID insertGrant(String user) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into grants (id, user_id, provider, access_token, connected_at) values (?, ?, 'atlassian', '\\x00'::bytea, now())", id, user);
        return id;
    }
}
