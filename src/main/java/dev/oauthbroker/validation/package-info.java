/** Validation of grants against the providers: on demand per user, and the scheduled sweep. */
package dev.oauthbroker.validation;
