/** Running it in production: readiness beyond Spring's own state, the drain of refreshes at shutdown, the API's description. */
package dev.oauthbroker.ops;
