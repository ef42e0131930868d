package dev.oauthbroker;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertiesPropertySource;

/**
 * In the {@code demo} profile only: generates the token key, the JWT secret, the service key and the sandbox provider's client secret
 * once, keeps them in {@code <data dir>/demo-secrets.properties} (outside git), and offers them
 * with the lowest precedence, so real environment variables still win. Warns loudly every start.
 * The file is readable by its owner only (0600 on POSIX file systems): it is written to a file
 * created with those permissions and moved into place, and an existing file's permissions are
 * corrected. The demo's sign-in lets anyone act as any user, so the demo listens on
 * {@code 127.0.0.1} unless {@code SERVER_ADDRESS} ({@code server.address}) says otherwise.
 */
public class DemoSecrets implements EnvironmentPostProcessor, Ordered {

    static final List<String> NAMES = List.of("ENCRYPTION_KEY", "APP_JWT_SECRET", "BROKER_SERVICE_KEY", "SANDBOX_CLIENT_SECRET");
    /** The file in the data folder; its presence also tells the CLI that this machine runs the demo. */
    public static final String FILE_NAME = "demo-secrets.properties";
    static final String LOOPBACK = "127.0.0.1";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Log log;

    public DemoSecrets(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DemoSecrets.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.matchesProfiles("demo")) {
            return;
        }
        Path file = Path.of(environment.getProperty("broker.data-dir", ".data"), FILE_NAME);
        Properties secrets = loadOrCreate(file);
        String address = environment.getProperty("server.address");
        if (address == null || address.isBlank()) {
            environment.getPropertySources().addLast(new MapPropertySource("demoBinding", Map.of("server.address", LOOPBACK)));
            log.warn("DEMO PROFILE: listening on " + LOOPBACK + " only, as the demo's sign-in lets anyone act as any user; "
                    + "set SERVER_ADDRESS to listen elsewhere");
        } else {
            log.warn("DEMO PROFILE: listening on " + address + " (SERVER_ADDRESS): the demo's sign-in lets anyone who reaches it act as any user");
        }
        environment.getPropertySources().addLast(new PropertiesPropertySource("demoSecrets", secrets));
        log.warn("DEMO PROFILE: using generated demo secrets from " + file.toAbsolutePath()
                + " (token key, JWT secret, service key). NEVER use the demo profile in production.");
    }

    private static Properties loadOrCreate(Path file) {
        Properties secrets = new Properties();
        try {
            if (Files.exists(file)) {
                if (posix(file)) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
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
                write(secrets, file);
            }
            return secrets;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write demo secrets at " + file, e);
        }
    }

    /** Into a new owner-only file beside the target, then moved over it: the secrets are never readable by others, not even briefly. */
    private static void write(Properties secrets, Path file) throws IOException {
        Path folder = Files.createDirectories(file.toAbsolutePath().getParent());
        Path draft = posix(folder) ? Files.createTempFile(folder, FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(folder, FILE_NAME, ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(draft)) {
                secrets.store(out, "oauth-broker demo secrets: generated, local only, not for production");
            }
            Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
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
