package dev.oauthbroker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.provider.CatalogSchema;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code config/clients.yaml}: YAML as written (anchors, aliases, merge keys), checked against
 * {@code config/clients.schema.json}, then against the catalogue (every tool and bucket named must
 * exist). Every problem is collected, each naming file, client and field, before refusing the file.
 */
final class ClientsFile {

    static final Path SCHEMA = Path.of("config/clients.schema.json");

    private final CatalogSchema schema = new CatalogSchema(SCHEMA);
    private final ProviderCatalog catalog;

    ClientsFile(ProviderCatalog catalog) {
        this.catalog = catalog;
    }

    /** The file's clients; a missing file has none. */
    List<BackendClient> load(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = YamlDocuments.read(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidClientsFile(file + ": cannot read the clients file (" + e.getMessage() + ")");
        } catch (YAMLException e) {
            throw new InvalidClientsFile(file + ": not valid YAML (" + e.getMessage().lines().reduce((a, b) -> a + " " + b.trim()).orElse("") + ")");
        }
        List<String> problems = new ArrayList<>(schema.problems(root.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : root));
        List<BackendClient> clients = new ArrayList<>();
        if (problems.isEmpty()) {
            root.path("clients").fields().forEachRemaining(e -> clients.add(client(e.getKey(), e.getValue(), problems)));
        }
        if (!problems.isEmpty()) {
            throw new InvalidClientsFile("invalid clients file " + file + ":\n  - "
                    + String.join("\n  - ", problems.stream().map(p -> file + ": " + p).toList()));
        }
        return List.copyOf(clients);
    }

    private BackendClient client(String id, JsonNode entry, List<String> problems) {
        String at = "clients." + id;
        Set<String> tools = new LinkedHashSet<>();
        boolean all = false;
        for (JsonNode tool : entry.path("tools")) {
            if (tool.asText().equals("*")) {
                all = true;
            } else if (catalog.tool(tool.asText()).isEmpty()) {
                problems.add(at + ".tools: unknown tool '" + tool.asText() + "'");
            } else {
                tools.add(tool.asText());
            }
        }
        for (JsonNode bucket : entry.path("buckets")) {
            catalog.bucket(bucket.asText()).ifPresentOrElse(b -> tools.addAll(b.tools()),
                    () -> problems.add(at + ".buckets: unknown bucket '" + bucket.asText() + "'"));
        }
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        entry.path("operations").forEach(op -> operations.add(Operation.valueOf(op.asText())));
        if (operations.isEmpty()) {
            operations.add(Operation.tokens);
        }
        if (!all && tools.isEmpty()) {
            problems.add(at + ": names no tool (tools or buckets); it could fetch nothing");
        }
        List<byte[]> digests = new ArrayList<>();
        entry.path("keys").forEach(hash -> digests.add(ClientKeys.bytesOf(hash.asText())));
        return new BackendClient(id, all, tools, operations, digests);
    }

    /** The clients file cannot be used; the message lists every problem. */
    static final class InvalidClientsFile extends RuntimeException {
        InvalidClientsFile(String message) {
            super(message);
        }
    }
}
