/**
 * The provider catalogue: providers, their tools and onboarding buckets, loaded from YAML and checked
 * against its JSON Schema; each provider's quirks are data read by generic interpreters
 * ({@link dev.oauthbroker.provider.AnswerRules}, {@link dev.oauthbroker.provider.RevocationSpec},
 * {@link dev.oauthbroker.provider.IdentitySpec}).
 */
package dev.oauthbroker.provider;
