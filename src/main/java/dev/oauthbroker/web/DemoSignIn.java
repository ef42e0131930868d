package dev.oauthbroker.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bundled UI's sign-in, in the {@code demo} profile only: any user id gets a session token
 * signed like the host application's would be. Outside the demo this class is not loaded, so the
 * endpoint does not exist (404) and the UI expects the host's JWT instead.
 */
@RestController
@Profile("demo")
public class DemoSignIn {

    private static final Duration LIFETIME = Duration.ofHours(12);

    private final MACSigner signer;
    private final Clock clock;

    public DemoSignIn(Environment environment, Clock clock) throws JOSEException {
        this.signer = new MACSigner(environment.getRequiredProperty("APP_JWT_SECRET").getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    @GetMapping("/api/demo/session")
    public Map<String, Object> available() {
        return Map.of("demoSignIn", true);
    }

    @PostMapping("/api/demo/session")
    public ResponseEntity<Map<String, Object>> signIn(@RequestBody Map<String, Object> body) throws JOSEException {
        Object raw = body.get("userId");
        String userId = raw instanceof String s ? s.trim() : "";
        if (!userId.matches("[A-Za-z0-9._@+-]{1,64}")) {
            return ResponseEntity.badRequest().body(Map.of("error", "invalid_request",
                    "message", "a user id is 1 to 64 letters, digits or . _ @ + -"));
        }
        Instant now = clock.instant();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(userId).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME))).build());
        jwt.sign(signer);
        // the answer carries a session token: no cache may keep it
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(Map.of("token", jwt.serialize(), "userId", userId, "expiresAt", now.plus(LIFETIME).toString()));
    }
}
