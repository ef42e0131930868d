package dev.oauthbroker.provider;

import java.util.List;

/** What onboarding shows as one Connect button: one consent at one provider for several tools. */
public record Bucket(String id, String displayName, String provider, List<String> tools) {}
