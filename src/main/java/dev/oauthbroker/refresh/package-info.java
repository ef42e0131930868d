/** Keeping access tokens fresh: single-flight refresh per grant, cluster-wide, with classified failures. */
package dev.oauthbroker.refresh;
