package dev.oauthbroker.events;

import java.time.Instant;

/** One line of a grant's audit trail ({@code grant_events}); never token material. */
public record GrantEvent(String event, String detail, Instant at) {}
