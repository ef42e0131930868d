package dev.oauthbroker.events;

import dev.oauthbroker.BrokerProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The headers of a signed webhook delivery, as the Standard Webhooks specification defines them:
 * {@code webhook-id} (the event id), {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature} = {@code v1,} + base64 of HMAC-SHA256 over
 * {@code id + "." + timestamp + "." + body}. The secret is {@code BROKER_WEBHOOK_SECRET}, either
 * {@code whsec_<base64>} (the specification's form: the key is the decoded bytes) or plain text
 * (the key is its UTF-8 bytes). Any Standard Webhooks library verifies what this signs.
 */
@Component("webhookSignature")
public class WebhookSignature {

    static final String PREFIX = "whsec_";

    private final byte[] key;
    private final Clock clock;

    @Autowired
    public WebhookSignature(BrokerProperties broker, Clock clock) {
        this(broker.events().webhookSecret(), clock);
    }

    WebhookSignature(String secret, Clock clock) {
        this.key = secret.startsWith(PREFIX) ? decoded(secret.substring(PREFIX.length())) : secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    private static byte[] decoded(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("BROKER_WEBHOOK_SECRET starts with whsec_ but what follows is not base64");
        }
    }

    /** {@code webhook-timestamp}: now, in Unix seconds. */
    public long timestamp() {
        return clock.instant().getEpochSecond();
    }

    /** {@code webhook-signature} of the body about to be sent with these id and timestamp headers. */
    public String sign(@Header("webhook-id") String id, @Header("webhook-timestamp") long timestamp, @Body String body) {
        if (key.length == 0) {
            throw new IllegalStateException("BROKER_WEBHOOK_SECRET is not set: a webhook delivery cannot be signed");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
