package dev.oauthbroker.resilience;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** The breakers' state changes kept in memory instead of {@code provider_health}, for unit tests of what reads the breakers. */
public class InMemoryProviderHealth extends JdbcProviderHealth {

    private final List<Change> changes = new ArrayList<>();

    public InMemoryProviderHealth() {
        super(new JdbcTemplate(), null);
    }

    @Override
    void record(Change change) {
        changes.add(change);
    }

    /** Every change recorded, oldest first. */
    public List<Change> changes() {
        return List.copyOf(changes);
    }
}
