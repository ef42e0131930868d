package dev.oauthbroker.authorization;

import java.time.Instant;
import java.util.List;

/**
 * An admin-consent link waiting for an administrator: who asked for it, for which provider and
 * bucket, and the scopes (as sent to the provider) the administrator is asked to consent to.
 */
public record AdminConsentRequest(String userId, String provider, String bucket, List<String> scopes, Instant createdAt) {}
