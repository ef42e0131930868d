/**
 * A circuit breaker and a bulkhead per provider around refresh calls, so one failing or slow
 * provider costs the others nothing.
 */
package dev.oauthbroker.resilience;
