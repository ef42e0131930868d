package dev.oauthbroker.provider;

import java.util.List;

/** One thing a user connects (e.g. {@code jira}), served by one provider. */
public record Tool(String id, String displayName, String provider, List<String> scopes) {}
