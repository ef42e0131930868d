package dev.oauthbroker.bench.floor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's floor: a bare Spring Boot MVC application (what {@code spring-boot-starter-web}
 * brings, nothing else on its classpath — see {@code HotPath}) answering {@code GET /api/tools} with
 * the bytes the broker answered, from memory. What the framework alone costs on this machine;
 * never part of the service's jar (it lives in the test sources).
 */
@SpringBootApplication
@RestController
@Profile(FloorApplication.PROFILE)
public class FloorApplication {

    /**
     * Active only in the floor's own process: the broker's test contexts scan {@code dev.oauthbroker}
     * (these test classes included) and must not pick the floor up.
     */
    static final String PROFILE = "bench-floor";

    /** The file holding the bytes to answer (the harness writes the broker's {@code /api/tools} answer there). */
    public static final String BODY_FILE = "FLOOR_BODY_FILE";

    private final byte[] body;

    public FloorApplication() throws IOException {
        this.body = Files.readAllBytes(Path.of(System.getenv(BODY_FILE)));
    }

    @GetMapping(path = "/api/tools", produces = MediaType.APPLICATION_JSON_VALUE)
    byte[] tools() {
        return body;
    }

    public static void main(String[] args) {
        SpringApplication floor = new SpringApplication(FloorApplication.class);
        floor.setAdditionalProfiles(PROFILE);
        floor.run(args);
    }
}
