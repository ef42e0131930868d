/** The embedded PostgreSQL default used when no external database is configured, and what an unreachable database looks like ({@link dev.oauthbroker.postgres.DatabaseOutage}). */
package dev.oauthbroker.postgres;
