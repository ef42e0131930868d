package dev.oauthbroker;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertiesPropertySource;

/**
 * In the {@code demo} profile only: generates the token key, the JWT secret, the service key and the sandbox provider's client secret
 * once, keeps them in {@code <data dir>/demo-secrets.properties} (outside git), and offers them
 * with the lowest precedence, so real environment variables still win. Warns loudly every start.
 */
public class DemoSecrets implements EnvironmentPostProcessor, Ordered {

    static final List<String> NAMES = List.of("ENCRYPTION_KEY", "APP_JWT_SECRET", "BROKER_SERVICE_KEY", "SANDBOX_CLIENT_SECRET");

    private final Log log;

    public DemoSecrets(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DemoSecrets.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.matchesProfiles("demo")) {
            return;
        }
        Path file = Path.of(environment.getProperty("broker.data-dir", ".data"), "demo-secrets.properties");
        Properties secrets = loadOrCreate(file);
        environment.getPropertySources().addLast(new PropertiesPropertySource("demoSecrets", secrets));
        log.warn("DEMO PROFILE: using generated demo secrets from " + file.toAbsolutePath()
                + " (token key, JWT secret, service key). NEVER use the demo profile in production.");
    }

    private static Properties loadOrCreate(Path file) {
        Properties secrets = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    secrets.load(in);
                }
            }
            boolean changed = false;
            for (String name : NAMES) {
                if (!secrets.containsKey(name)) {
                    secrets.setProperty(name, random(name));
                    changed = true;
                }
            }
            if (changed) {
                Files.createDirectories(file.getParent());
                try (Writer out = Files.newBufferedWriter(file)) {
                    secrets.store(out, "oauth-broker demo secrets: generated, local only, not for production");
                }
            }
            return secrets;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write demo secrets at " + file, e);
        }
    }

    /** 32 random bytes: base64 for the token key (its documented format), URL-safe for the others. */
    private static String random(String name) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return name.equals("ENCRYPTION_KEY") ? Base64.getEncoder().encodeToString(bytes)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
