package dev.oauthbroker.token;

/**
 * The number of the attempt under way at sending one {@link ProviderRequest}, counting from 1: a
 * retry of the same request counts up, another request starts again at 1. Counted in an exchange
 * property because Camel's redelivery headers do not survive a failure turned into another
 * exception in a {@code doCatch} (a lost answer, classified).
 */
public record ProviderAttempt(ProviderRequest request, int number) {

    /** The attempt about to send {@code request}, after {@code previous} (null for none). */
    public static ProviderAttempt next(ProviderRequest request, ProviderAttempt previous) {
        return previous != null && previous.request() == request ? new ProviderAttempt(request, previous.number() + 1)
                : new ProviderAttempt(request, 1);
    }
}
