/** Connection events: what the events route needs beyond SQL, such as signing a webhook delivery. */
package dev.oauthbroker.events;
