/** The token cache: grants kept in memory per instance, made exact across instances by PostgreSQL notifications. */
package dev.oauthbroker.cache;
