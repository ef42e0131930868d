/** The provider catalogue: providers, their tools and onboarding buckets, loaded from YAML. */
package dev.oauthbroker.provider;
