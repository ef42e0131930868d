/** The embedded PostgreSQL default used when no external database is configured. */
package dev.oauthbroker.postgres;
