/**
 * A circuit breaker per provider around refresh calls, so a failing provider is not called while
 * it is down, and every instance's last breaker change per provider.
 */
package dev.oauthbroker.resilience;
