/** Talking to token endpoints: building requests, reading every shape of answer providers give. */
package dev.oauthbroker.token;
