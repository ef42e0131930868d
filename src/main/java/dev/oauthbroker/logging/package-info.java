/** Log lines of OAuth operations with their fields as key-value pairs, and the DEBUG_OAUTH switch. */
package dev.oauthbroker.logging;
