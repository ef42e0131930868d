package dev.oauthbroker.client;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.crypto.Sha256;
import dev.oauthbroker.provider.ChangedFile;
import dev.oauthbroker.provider.ProviderCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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

    private final ChangedFile file;
    private final ClientsFile reader;
    private final Clock clock;
    private final long reloadMillis;
    private final Optional<BackendClient> serviceKey;
    /** The clients in force, {@code service-key} last. */
    private volatile List<BackendClient> clients;
    private volatile long checkedAt;

    public BackendClients(BrokerProperties properties, ProviderCatalog catalog, Environment environment, Clock clock) {
        this.file = new ChangedFile(Path.of(properties.clients().file()));
        this.reader = new ClientsFile(catalog);
        this.clock = clock;
        this.reloadMillis = properties.clients().reload().toMillis();
        this.serviceKey = serviceKeyClient(environment.getProperty("BROKER_SERVICE_KEY", ""));
        this.clients = inForce(reader.load(file.path()));
        this.checkedAt = clock.millis();
        if (clients.isEmpty()) {
            throw new IllegalStateException("no backend client: set BROKER_SERVICE_KEY (at least 16 characters) or add a client to "
                    + file.path() + " (./oauth-cli clients add <id> --tools <tool,...>)");
        }
        log.info("backend clients: {} ({})", ids(), Files.exists(file.path()) ? file.path() : "no " + file.path());
    }

    private static Optional<BackendClient> serviceKeyClient(String key) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (key.length() < 16) {
            throw new IllegalStateException("BROKER_SERVICE_KEY must be at least 16 characters: it opens every user's tokens");
        }
        return Optional.of(new BackendClient(BackendClient.SERVICE_KEY, true, Set.of(), EnumSet.allOf(Operation.class),
                List.of(Sha256.of(key))));
    }

    /** The client holding this key, if any; every client's hashes are compared, in constant time each. */
    public Optional<BackendClient> authenticate(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = Sha256.of(key);
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

    /** The client of that id, if one is in force. */
    public Optional<BackendClient> byId(String clientId) {
        return all().stream().filter(client -> client.id().equals(clientId)).findFirst();
    }

    /** Every client in force, {@code service-key} last; the file re-read first if it changed. */
    public List<BackendClient> all() {
        reloadIfChanged();
        return clients;
    }

    /** At most every {@code BROKER_CLIENTS_RELOAD}: a changed file re-read; an invalid one refused, the clients in force kept. */
    private void reloadIfChanged() {
        long now = clock.millis();
        if (now - checkedAt < reloadMillis) {
            return;
        }
        synchronized (this) {
            checkedAt = now;
            if (!file.changed()) {
                return;
            }
            try {
                clients = inForce(reader.load(file.path()));
                log.info("backend clients reloaded from {}: {}", file.path(), ids());
            } catch (ClientsFile.InvalidClientsFile e) {
                // said once per change: the file is not read again until it changes
                log.error("backend clients file refused, the clients in force stay: {}", e.getMessage());
            }
        }
    }

    private List<BackendClient> inForce(List<BackendClient> ofFile) {
        List<BackendClient> all = new ArrayList<>(ofFile);
        serviceKey.ifPresent(all::add);
        return List.copyOf(all);
    }

    private List<String> ids() {
        return clients.stream().map(BackendClient::id).toList();
    }
}
