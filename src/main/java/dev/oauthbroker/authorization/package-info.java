/** Authorization requests: random single-use state kept in PostgreSQL, and PKCE (RFC 7636). */
package dev.oauthbroker.authorization;
