package dev.oauthbroker.client;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.provider.ProviderCatalog;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The backend clients in force: those of {@code config/clients.yaml}, plus {@code BROKER_SERVICE_KEY}
 * (when set) as the client {@value BackendClient#SERVICE_KEY} with every tool and operation, so an
 * upgrade breaks nothing. The file is looked at again at most every {@code BROKER_CLIENTS_RELOAD}
 * and re-read when it changed; a file that became invalid is refused with its problems logged and
 * the clients in force stay. At startup an invalid file, or no client at all, stops the service.
 */
@Component
public class BackendClients {

    private static final Logger log = LoggerFactory.getLogger(BackendClients.class);

    private final Path file;
    private final ClientsFile reader;
    private final Clock clock;
    private final long reloadMillis;
    private final Optional<BackendClient> serviceKey;
    private volatile Loaded loaded;

    public BackendClients(BrokerProperties properties, ProviderCatalog catalog, Environment environment, Clock clock) {
        this.file = Path.of(properties.clients().file());
        this.reader = new ClientsFile(catalog);
        this.clock = clock;
        this.reloadMillis = properties.clients().reload().toMillis();
        this.serviceKey = serviceKeyClient(environment.getProperty("BROKER_SERVICE_KEY", ""));
        Stamp stamp = stamp();
        this.loaded = new Loaded(reader.load(file), stamp, clock.millis());
        if (all().isEmpty()) {
            throw new IllegalStateException("no backend client: set BROKER_SERVICE_KEY (at least 16 characters) or add a client to "
                    + file + " (./oauth-cli clients add <id> --tools <tool,...>)");
        }
        log.info("backend clients: {} ({})", all().stream().map(BackendClient::id).toList(), Files.exists(file) ? file : "no " + file);
    }

    private static Optional<BackendClient> serviceKeyClient(String key) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (key.length() < 16) {
            throw new IllegalStateException("BROKER_SERVICE_KEY must be at least 16 characters: it opens every user's tokens");
        }
        return Optional.of(new BackendClient(BackendClient.SERVICE_KEY, true, Set.of(), EnumSet.allOf(Operation.class),
                List.of(ClientKeys.digest(key))));
    }

    /** The client holding this key, if any; every client's hashes are compared, in constant time each. */
    public Optional<BackendClient> authenticate(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = ClientKeys.digest(key);
        BackendClient found = null;
        for (BackendClient client : all()) {
            if (client.holds(digest) && found == null) {
                found = client;
            }
        }
        return Optional.ofNullable(found);
    }

    /** HTTP Basic (RFC 6749 §2.3.1): the named client, if the key is one of its own. */
    public Optional<BackendClient> authenticate(String clientId, String key) {
        return authenticate(key).filter(client -> client.id().equals(clientId));
    }

    /** Every client in force, {@code service-key} last; the file re-read first if it changed. */
    public List<BackendClient> all() {
        Loaded current = reloadIfChanged();
        List<BackendClient> clients = new ArrayList<>(current.clients());
        serviceKey.ifPresent(clients::add);
        return clients;
    }

    private Loaded reloadIfChanged() {
        Loaded current = loaded;
        long now = clock.millis();
        if (now - current.checkedAt() < reloadMillis) {
            return current;
        }
        synchronized (this) {
            current = loaded;
            Stamp stamp = stamp();
            if (Objects.equals(stamp, current.stamp())) {
                loaded = new Loaded(current.clients(), stamp, now);
                return loaded;
            }
            try {
                loaded = new Loaded(reader.load(file), stamp, now);
                log.info("backend clients reloaded from {}: {}", file, loaded.clients().stream().map(BackendClient::id).toList());
            } catch (ClientsFile.InvalidClientsFile e) {
                // keep the clients in force; say once per change what is wrong
                loaded = new Loaded(current.clients(), stamp, now);
                log.error("backend clients file refused, the clients in force stay: {}", e.getMessage());
            }
            return loaded;
        }
    }

    /** The file's content digest (a small file: exact even where timestamps are coarse); null when absent. */
    private Stamp stamp() {
        try {
            return new Stamp(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        } catch (IOException absent) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Stamp(String digest) {
    }

    private record Loaded(List<BackendClient> clients, Stamp stamp, long checkedAt) {
    }
}
