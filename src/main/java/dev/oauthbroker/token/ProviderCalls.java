package dev.oauthbroker.token;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.provider.TransientProviderException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;

/**
 * The steps of the shared {@code provider-call} route around its {@code http} step: count the
 * attempt, write the request into the message (every inbound header dropped first, so nothing of
 * the caller travels to the provider), and name a lost answer.
 */
@Component("providerCalls")
public class ProviderCalls {

    /** Step {@code provider-call-attempt}. */
    public ProviderAttempt attempt(@ExchangeProperty(ExchangeProperties.PROVIDER_REQUEST) ProviderRequest request,
                                   @ExchangeProperty(ExchangeProperties.PROVIDER_ATTEMPT) ProviderAttempt previous) {
        return ProviderAttempt.next(request, previous);
    }

    /** Step {@code provider-call-request}: the message the {@code http} step sends. */
    public void write(@ExchangeProperty(ExchangeProperties.PROVIDER_REQUEST) ProviderRequest request, Message message) {
        TokenRequests.clearHeaders(message);
        message.setHeader(Exchange.HTTP_URI, request.url());
        // as the http component's own type: it reads the header as HttpMethods, and converting a String costs a type-converter search per call
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method()));
        request.headers().forEach(message::setHeader);
        message.setBody(request.body());
    }

    /** Step of a lost answer: counts it, for the refresh's replay rule. */
    public int lost(@ExchangeProperty(ExchangeProperties.LOST_ANSWERS) Integer before) {
        return before == null ? 1 : before + 1;
    }

    /** A lost answer of a call that is not a refresh: a transient failure, retried where the flow retries. */
    public void lostAnswer() {
        throw new TransientProviderException("no_answer", null);
    }

}
