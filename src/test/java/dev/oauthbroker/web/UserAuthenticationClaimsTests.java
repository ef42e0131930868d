package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.oauthbroker.BrokerException;
import dev.oauthbroker.TestUsers;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The claims a correctly signed user token must carry: a usable subject, and iss / aud when configured. */
class UserAuthenticationClaimsTests {

    static final String ISSUER = "https://app.example.com";
    static final String AUDIENCE = "oauth-broker";

    @Test
    void subjectsArePrintableAndAtMost255Characters() {
        UserAuthentication authentication = authentication(new MockEnvironment());
        for (String bad : List.of("al\u0000ice", "alice\n", "\u0007", "bob\u202Eevil", "a\u2028b", "x".repeat(256), " ")) {
            assertThatThrownBy(() -> authentication.userIdOf(bearer(claims(bad))))
                    .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.kind()).isEqualTo(BrokerException.Kind.UNAUTHENTICATED))
                    .hasMessage("the token's subject must be 1 to 255 printable characters");
        }
        for (String good : List.of("x".repeat(255), "alice@example.com", "Zoë Ünïcode", "user 42", "\uD83D\uDE00".repeat(255))) {
            assertThat(authentication.userIdOf(bearer(claims(good)))).isEqualTo(good);
        }
    }

    @Test
    void withoutIssuerOrAudienceConfiguredNeitherIsChecked() {
        UserAuthentication authentication = authentication(new MockEnvironment());
        assertThat(authentication.userIdOf(bearer(claims("u1").issuer("https://other.example").audience("other")))).isEqualTo("u1");
    }

    @Test
    void aConfiguredIssuerMustBeTheTokensIss() {
        UserAuthentication authentication = authentication(new MockEnvironment().withProperty("APP_JWT_ISSUER", ISSUER));
        assertThat(authentication.userIdOf(bearer(claims("u1").issuer(ISSUER)))).isEqualTo("u1");
        for (JWTClaimsSet.Builder wrong : List.of(claims("u1"), claims("u1").issuer("https://evil.example"),
                claims("u1").issuer(ISSUER + "/"), claims("u1").issuer(ISSUER.toUpperCase()))) {
            assertThatThrownBy(() -> authentication.userIdOf(bearer(wrong)))
                    .isInstanceOf(BrokerException.class).hasMessageContaining("issuer (iss)");
        }
    }

    @Test
    void aConfiguredAudienceMustBeAmongTheTokensAud() {
        UserAuthentication authentication = authentication(new MockEnvironment().withProperty("APP_JWT_AUDIENCE", AUDIENCE));
        assertThat(authentication.userIdOf(bearer(claims("u1").audience(AUDIENCE)))).isEqualTo("u1");
        assertThat(authentication.userIdOf(bearer(claims("u1").audience(List.of("api", AUDIENCE))))).isEqualTo("u1");
        for (JWTClaimsSet.Builder wrong : List.of(claims("u1"), claims("u1").audience("api"),
                claims("u1").audience(AUDIENCE + "-staging"), claims("u1").audience("oauth"))) {
            assertThatThrownBy(() -> authentication.userIdOf(bearer(wrong)))
                    .isInstanceOf(BrokerException.class).hasMessageContaining("audience (aud)");
        }
    }

    private static UserAuthentication authentication(MockEnvironment environment) {
        return new UserAuthentication(environment.withProperty("APP_JWT_SECRET", TestUsers.SECRET), Clock.systemUTC());
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    private static String bearer(JWTClaimsSet.Builder claims) {
        return "Bearer " + TestUsers.signed(claims.build());
    }
}
