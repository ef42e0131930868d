/** oauth-broker: the application, its settings, and the demo profile's generated secrets. */
package dev.oauthbroker;
