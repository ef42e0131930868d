/** The service's Prometheus metrics: counters and timers the flows record, gauges read from PostgreSQL and the breakers. */
package dev.oauthbroker.metrics;
