package dev.oauthbroker.grant;

/** Stored state of a grant ({@code grants.status}). */
public enum GrantStatus {
    active, reauth_required, disconnected
}
