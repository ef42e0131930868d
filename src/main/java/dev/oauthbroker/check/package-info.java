/** Checks an integrator's catalogue and route files before they are deployed ({@code oauth-cli check}). */
package dev.oauthbroker.check;
