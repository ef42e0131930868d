/** The HTTP edge the routes use: caller authentication, error answers, response headers. */
package dev.oauthbroker.web;
