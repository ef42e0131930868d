package dev.oauthbroker.authorization;

import java.time.Instant;
import java.util.List;

/** An organisation (Microsoft: tenant) whose administrator consented for everyone in it. */
public record AdminConsentRecord(String provider, String tenant, List<String> scopes, String requestedBy, Instant consentedAt) {}
