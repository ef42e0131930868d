/**
 * What every flow shares: the names of the exchange properties the routes and their beans pass
 * values in ({@link dev.oauthbroker.flow.ExchangeProperties}), a request's deadline and an
 * operation's start time. Depends on no other package of the application but its root.
 */
package dev.oauthbroker.flow;
