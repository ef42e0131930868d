/** The operator CLI: status, inspection and repair of grants from the terminal, through the same routes. */
package dev.oauthbroker.cli;
