package dev.oauthbroker.web;

import dev.oauthbroker.BrokerException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oauthbroker.flow.ExchangeProperties;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Authenticates the host application's user: {@code Authorization: Bearer <JWT>}, HS256 under
 * {@code APP_JWT_SECRET}, {@code exp} required, {@code nbf} honoured, {@code sub} = user id. Any
 * other algorithm ({@code none} included) is refused. When {@code APP_JWT_ISSUER} /
 * {@code APP_JWT_AUDIENCE} are set, the token must carry that {@code iss} / list that {@code aud}
 * (RFC 7519 §4.1.1, §4.1.3), so a token the same secret signs for another purpose is not accepted.
 * A subject is printable and at most {@value #MAX_SUBJECT} characters: it becomes a stored user id,
 * a log field and a CLI argument. {@link ApiAuthenticationFilter} applies it to the user API before
 * any route runs; the routes receive the user id as the exchange property {@value ExchangeProperties#USER_ID}.
 */
@Component
public class UserAuthentication {

    static final int MAX_SUBJECT = 255;
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final MACVerifier verifier;
    private final Clock clock;
    private final String issuer;
    private final String audience;

    public UserAuthentication(Environment environment, Clock clock) {
        String secret = environment.getProperty("APP_JWT_SECRET", "");
        if (secret.isBlank()) {
            throw new IllegalStateException("APP_JWT_SECRET is not set: the HS256 secret of the host application's "
                    + "user tokens is required (only the demo profile generates one)");
        }
        try {
            this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException("APP_JWT_SECRET must be at least 32 bytes long for HS256");
        }
        this.clock = clock;
        this.issuer = environment.getProperty("APP_JWT_ISSUER", "").trim();
        this.audience = environment.getProperty("APP_JWT_AUDIENCE", "").trim();
    }

    /** The user id of an {@code Authorization} header value, or a 401 {@link BrokerException}. */
    public String userIdOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw BrokerException.unauthorized("a Bearer token is required");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring(7).trim());
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw BrokerException.unauthorized("the token must be signed with HS256");
            }
            if (!jwt.verify(verifier)) {
                throw BrokerException.unauthorized("the token signature is invalid");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            if (exp == null || now.minus(CLOCK_SKEW).isAfter(exp.toInstant())) {
                throw BrokerException.unauthorized("the token is expired or has no expiry");
            }
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
                throw BrokerException.unauthorized("the token is not valid yet");
            }
            if (!issuer.isEmpty() && !issuer.equals(claims.getIssuer())) {
                throw BrokerException.unauthorized("the token's issuer (iss) is not the one this service accepts");
            }
            if (!audience.isEmpty() && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
                throw BrokerException.unauthorized("the token's audience (aud) does not include this service");
            }
            String sub = claims.getSubject();
            if (!usableSubject(sub)) {
                throw BrokerException.unauthorized("the token's subject must be 1 to " + MAX_SUBJECT + " printable characters");
            }
            return sub;
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw BrokerException.unauthorized("the token is malformed");
        }
    }

    /** Not blank, at most {@value #MAX_SUBJECT} characters, none of them a control, format, separator or unpaired surrogate. */
    static boolean usableSubject(String sub) {
        if (sub == null || sub.isBlank() || sub.codePointCount(0, sub.length()) > MAX_SUBJECT) {
            return false;
        }
        return sub.codePoints().noneMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        });
    }
}
