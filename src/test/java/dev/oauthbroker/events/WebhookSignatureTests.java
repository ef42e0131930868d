package dev.oauthbroker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignatureTests {

    /** The Standard Webhooks specification's published example. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);

    @Test
    void signsTheSpecificationsExampleAsPublished() {
        assertThat(new WebhookSignature(SECRET, CLOCK).sign(ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theTimestampIsUnixSecondsFromTheClock() {
        assertThat(new WebhookSignature(SECRET, CLOCK).timestamp()).isEqualTo(TIMESTAMP);
    }

    @Test
    void aChangedBodyIdOrTimestampChangesTheSignature() {
        WebhookSignature signature = new WebhookSignature(SECRET, CLOCK);
        String published = signature.sign(ID, TIMESTAMP, BODY);

        assertThat(signature.sign(ID, TIMESTAMP, "{\"test\": 2432232315}")).isNotEqualTo(published);
        assertThat(signature.sign("msg_other", TIMESTAMP, BODY)).isNotEqualTo(published);
        assertThat(signature.sign(ID, TIMESTAMP + 1, BODY)).isNotEqualTo(published);
    }

    @Test
    void aPlainTextSecretIsUsedAsItsBytes() {
        String asWhsec = "whsec_" + Base64.getEncoder().encodeToString("plain-secret".getBytes(StandardCharsets.UTF_8));

        assertThat(new WebhookSignature("plain-secret", CLOCK).sign(ID, TIMESTAMP, BODY))
                .isEqualTo(new WebhookSignature(asWhsec, CLOCK).sign(ID, TIMESTAMP, BODY));
    }

    @Test
    void aWhsecSecretThatIsNotBase64FailsAtStartupWithoutShowingIt() {
        assertThatThrownBy(() -> new WebhookSignature("whsec_not*base64", CLOCK))
                .hasMessageContaining("not base64").hasMessageNotContaining("not*base64");
    }

    @Test
    void withoutASecretNothingIsSigned() {
        assertThatThrownBy(() -> new WebhookSignature("", CLOCK).sign(ID, TIMESTAMP, BODY))
                .hasMessageContaining("BROKER_WEBHOOK_SECRET");
    }
}
