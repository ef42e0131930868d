package dev.oauthbroker.refresh;

/**
 * A refresh's claim on its grant across instances: {@code owner} when this refresh holds the
 * lease, or the outcome another instance's refresh settled while this one waited for it.
 */
public record RefreshLease(String owner, RefreshResult settled) {

    public boolean held() {
        return owner != null;
    }
}
