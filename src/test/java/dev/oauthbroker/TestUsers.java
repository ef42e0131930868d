package dev.oauthbroker;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Session tokens of the host application, as the test profile's APP_JWT_SECRET signs them. */
public final class TestUsers {

    public static final String SECRET = "test-jwt-secret-that-is-long-enough-for-hs256!!";

    private TestUsers() {}

    public static String jwt(String userId) {
        return jwt(userId, Instant.now().plus(Duration.ofHours(1)), SECRET, JWSAlgorithm.HS256);
    }

    public static String jwt(String userId, Instant expiresAt, String secret, JWSAlgorithm algorithm) {
        return signed(new JWTClaimsSet.Builder().subject(userId).issueTime(new Date()).expirationTime(Date.from(expiresAt)).build(),
                secret, algorithm);
    }

    /** Any claims, HS256 under the test secret: a token the host application could have signed. */
    public static String signed(JWTClaimsSet claims) {
        return signed(claims, SECRET, JWSAlgorithm.HS256);
    }

    private static String signed(JWTClaimsSet claims, String secret, JWSAlgorithm algorithm) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
