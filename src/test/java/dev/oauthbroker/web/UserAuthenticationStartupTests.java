package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.oauthbroker.TestUsers;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

class UserAuthenticationStartupTests {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(Clock.class, Clock::systemUTC).withBean(UserAuthentication.class);

    @Test
    void withoutAppJwtSecretTheContextFailsAndSaysWhy() {
        runner.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("APP_JWT_SECRET is not set"));
    }

    @Test
    void aSecretTooShortForHs256IsRefused() {
        runner.withPropertyValues("APP_JWT_SECRET=short").run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("at least 32 bytes"));
    }

    @Test
    void aTokenNotValidYetIsRefusedAndASubjectIsRequired() throws Exception {
        MockEnvironment environment = new MockEnvironment().withProperty("APP_JWT_SECRET", TestUsers.SECRET);
        UserAuthentication authentication = new UserAuthentication(environment, Clock.systemUTC());
        Instant now = Instant.now();
        String future = sign(new JWTClaimsSet.Builder().subject("u1").notBeforeTime(Date.from(now.plusSeconds(600)))
                .expirationTime(Date.from(now.plusSeconds(1200))).build());
        String noSubject = sign(new JWTClaimsSet.Builder().expirationTime(Date.from(now.plusSeconds(600))).build());
        String noExpiry = sign(new JWTClaimsSet.Builder().subject("u1").build());

        assertThatThrownBy(() -> authentication.userIdOf("Bearer " + future)).hasMessageContaining("not valid yet");
        assertThatThrownBy(() -> authentication.userIdOf("Bearer " + noSubject)).hasMessageContaining("subject");
        assertThatThrownBy(() -> authentication.userIdOf("Bearer " + noExpiry)).hasMessageContaining("expiry");
        assertThat(authentication.userIdOf("Bearer " + TestUsers.jwt("u1"))).isEqualTo("u1");
    }

    private static String sign(JWTClaimsSet claims) {
        return TestUsers.signed(claims);
    }
}
