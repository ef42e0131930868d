package dev.oauthbroker.provider;

import java.util.List;

/**
 * One thing a user connects (e.g. {@code jira}), served by one provider. {@code gives} says in
 * users' words what connecting it gives ("Jira issues"); {@code comingSoon} marks a tool the host
 * application cannot use yet.
 */
public record Tool(String id, String displayName, String provider, List<String> scopes, List<String> gives, boolean comingSoon) {

    /** What the tool gives, or its display name when the catalogue does not say. */
    public List<String> givesOrName() {
        return gives.isEmpty() ? List.of(displayName) : gives;
    }
}
