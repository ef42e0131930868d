/** Connection events: the outbox ({@code grant_events}) the events route delivers from, and signing a webhook delivery. */
package dev.oauthbroker.events;
