package dev.oauthbroker.provider;

/** The provider catalogue is unreadable or invalid; the message lists every problem found. */
public class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }
}
