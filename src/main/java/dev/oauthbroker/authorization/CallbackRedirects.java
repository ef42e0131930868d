package dev.oauthbroker.authorization;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.postgres.DatabaseOutage;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Ends the callback with a 302 to {@code ${FRONTEND_URL}/integrations/callback} — never anywhere
 * else — and {@code Referrer-Policy: no-referrer}, so the code in our URL never leaks onward.
 */
@Component("callbackRedirects")
public class CallbackRedirects {

    private static final Logger log = LoggerFactory.getLogger(CallbackRedirects.class);

    private final String target;

    public CallbackRedirects(BrokerProperties properties) {
        this.target = properties.frontendBase() + "/integrations/callback";
    }

    /** After a checked callback: the frontend completes the flow with the pending id (body). */
    public void success(@Body String pendingId, Message message) {
        redirect(message, UriComponentsBuilder.fromUriString(target).queryParam("pending", pendingId));
    }

    /**
     * After an administrator's consent was recorded: the frontend says so (the bucket, when known,
     * names the card whose users now connect with no admin prompt).
     */
    public void adminConsented(@Body String bucket, Message message) {
        UriComponentsBuilder url = UriComponentsBuilder.fromUriString(target)
                .queryParam("success", "true").queryParam("adminConsent", "granted");
        if (bucket != null) {
            url.queryParam("bucket", bucket);
        }
        redirect(message, url);
    }

    /** Any failure: an error code and its fixed human text, never text from the request or an exception. */
    public void failure(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, Message answer) {
        String error;
        String message;
        String bucket = null;
        if (cause instanceof CallbackRejectedException rejected) {
            error = rejected.error();
            message = rejected.getMessage();
            bucket = rejected.bucket();
        } else if (DatabaseOutage.isCauseOf(cause)) {
            log.warn("callback failed: database unavailable ({})", cause.getClass().getName());
            error = "service_unavailable";
            message = "The service is briefly unavailable. Please try again in a moment.";
        } else {
            log.warn("callback failed: {}", cause == null ? "unknown" : cause.getClass().getName());
            error = "connection_failed";
            message = "The connection could not be completed. Please try again.";
        }
        UriComponentsBuilder url = UriComponentsBuilder.fromUriString(target)
                .queryParam("success", "false").queryParam("error", error).queryParam("message", message);
        if (bucket != null) {
            url.queryParam("bucket", bucket);
        }
        redirect(answer, url);
    }

    private static void redirect(Message message, UriComponentsBuilder url) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        message.setHeader("Location", url.encode().build().toUriString());
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Cache-Control", "no-store");
        message.setBody(null);
    }

}
