package dev.oauthbroker.cli;

import dev.oauthbroker.client.ClientKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code clients add|list|rotate}: the backend clients file, edited without ever writing a key —
 * a new key is printed once, only its SHA-256 goes into the file. The running service picks the
 * change up by itself (no restart). The file's leading comment lines are kept; the rest is
 * rewritten (anchors written by hand are resolved).
 */
@Command(name = "clients", mixinStandardHelpOptions = true,
        description = "Backend clients (config/clients.yaml): add one, list them, rotate a key. Keys are printed once, only hashes stored.",
        subcommands = {ClientsCommand.Add.class, ClientsCommand.ListClients.class, ClientsCommand.Rotate.class})
class ClientsCommand {

    @ParentCommand
    OAuthCli root;

    @Option(names = "--file", paramLabel = "<file>", description = "The clients file (default: $BROKER_CLIENTS_FILE or config/clients.yaml).")
    Path file = Path.of(System.getenv().getOrDefault("BROKER_CLIENTS_FILE", "config/clients.yaml"));

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a client with a new key (printed once).")
    static class Add implements Callable<Integer> {
        @ParentCommand
        ClientsCommand clients;

        @Parameters(index = "0", paramLabel = "<id>", description = "The client's id: lowercase letters, digits, - and _.")
        String id;

        @Option(names = "--tools", split = ",", paramLabel = "<tool>", description = "Tools it may obtain ('*' for all).")
        List<String> tools = new ArrayList<>();

        @Option(names = "--buckets", split = ",", paramLabel = "<bucket>", description = "Buckets whose tools it may obtain.")
        List<String> buckets = new ArrayList<>();

        @Option(names = "--operations", split = ",", paramLabel = "<op>", description = "tokens (default) and/or exchange.")
        List<String> operations = new ArrayList<>(List.of("tokens"));

        @Override
        public Integer call() throws IOException {
            Map<String, Map<String, Object>> all = clients.read();
            if (all.containsKey(id)) {
                clients.root.console.err().println("client " + id + " exists; rotate its key with: oauth-cli clients rotate " + id);
                return 1;
            }
            if (tools.isEmpty() && buckets.isEmpty()) {
                clients.root.console.err().println("name what it may obtain: --tools jira,confluence or --buckets atlassian");
                return 2;
            }
            String key = ClientKeys.generate();
            Map<String, Object> entry = new LinkedHashMap<>();
            if (!tools.isEmpty()) {
                entry.put("tools", tools);
            }
            if (!buckets.isEmpty()) {
                entry.put("buckets", buckets);
            }
            entry.put("operations", operations);
            entry.put("keys", new ArrayList<>(List.of(ClientKeys.hash(key))));
            all.put(id, entry);
            clients.write(all);
            clients.printKey(id, key, "added");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The clients: tools, operations, number of keys.")
    static class ListClients implements Callable<Integer> {
        @ParentCommand
        ClientsCommand clients;

        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws IOException {
            Map<String, Map<String, Object>> all = clients.read();
            List<Map<String, Object>> rows = new ArrayList<>();
            all.forEach((id, entry) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("client", id);
                row.put("tools", entry.getOrDefault("tools", List.of()));
                row.put("buckets", entry.getOrDefault("buckets", List.of()));
                row.put("operations", entry.getOrDefault("operations", List.of("tokens")));
                row.put("keys", ((List<?>) entry.getOrDefault("keys", List.of())).size());
                rows.add(row);
            });
            if (System.getenv("BROKER_SERVICE_KEY") != null) {
                rows.add(new LinkedHashMap<>(Map.of("client", "service-key", "tools", List.of("*"), "buckets", List.of(),
                        "operations", List.of("tokens", "exchange"), "keys", 1)));
            }
            if (output.json) {
                clients.root.console.json(rows);
                return 0;
            }
            Table table = new Table("CLIENT", "TOOLS", "BUCKETS", "OPERATIONS", "KEYS");
            rows.forEach(r -> table.row(String.valueOf(r.get("client")), join(r.get("tools")), join(r.get("buckets")),
                    join(r.get("operations")), String.valueOf(r.get("keys"))));
            table.print(clients.root.console.out());
            return 0;
        }

        private static String join(Object values) {
            String joined = ((List<?>) values).stream().map(String::valueOf).collect(Collectors.joining(","));
            return joined.isEmpty() ? "-" : joined;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new key (printed once) beside the current one; with --finish, keep only the newest key.")
    static class Rotate implements Callable<Integer> {
        @ParentCommand
        ClientsCommand clients;

        @Parameters(index = "0", paramLabel = "<id>")
        String id;

        @Option(names = "--finish", description = "The backends use the new key: remove the old one.")
        boolean finish;

        @Override
        public Integer call() throws IOException {
            Map<String, Map<String, Object>> all = clients.read();
            Map<String, Object> entry = all.get(id);
            if (entry == null) {
                clients.root.console.err().println("no client " + id + " in " + clients.file);
                return 1;
            }
            List<Object> keys = new ArrayList<>((List<?>) entry.getOrDefault("keys", List.of()));
            if (finish) {
                if (keys.size() < 2) {
                    clients.root.console.err().println("client " + id + " has one key: nothing to finish");
                    return 1;
                }
                entry.put("keys", new ArrayList<>(keys.subList(keys.size() - 1, keys.size())));
                clients.write(all);
                clients.root.console.out().println("client " + id + ": the old key no longer works; only the newest remains");
                return 0;
            }
            if (keys.size() >= 2) {
                clients.root.console.err().println("client " + id + " already has two keys: move the backends to the newest, then "
                        + "oauth-cli clients rotate " + id + " --finish");
                return 1;
            }
            String key = ClientKeys.generate();
            keys.add(ClientKeys.hash(key));
            entry.put("keys", keys);
            clients.write(all);
            clients.printKey(id, key, "rotating: both keys work until oauth-cli clients rotate " + id + " --finish;");
            return 0;
        }
    }

    private void printKey(String id, String key, String what) {
        var out = root.console.out();
        out.println("client " + id + " " + what + " its new key (shown once, store it in the backend's secrets):");
        out.println(key);
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> read() throws IOException {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        Object clients = document instanceof Map<?, ?> map ? map.get("clients") : null;
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        if (clients instanceof Map<?, ?> entries) {
            entries.forEach((id, entry) -> all.put(String.valueOf(id), new LinkedHashMap<>((Map<String, Object>) entry)));
        }
        return all;
    }

    void write(Map<String, Map<String, Object>> all) throws IOException {
        String header = Files.exists(file) ? Arrays.stream(Files.readString(file).split("\n", -1))
                .takeWhile(line -> line.startsWith("#")).map(line -> line + "\n").collect(Collectors.joining())
                : "# yaml-language-server: $schema=clients.schema.json\n";
        StringBuilder text = new StringBuilder(header).append(all.isEmpty() ? "clients: {}\n" : "clients:\n");
        all.forEach((id, entry) -> {
            text.append("  ").append(id).append(":\n");
            entry.forEach((field, value) -> text.append("    ").append(field).append(": ").append(flow(value)).append('\n'));
        });
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(temporary, text);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String flow(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(v -> quoted(String.valueOf(v))).collect(Collectors.joining(", ", "[", "]"));
        }
        return quoted(String.valueOf(value));
    }

    private static String quoted(String value) {
        return value.matches("[A-Za-z0-9_:.-]+") ? value : "'" + value.replace("'", "''") + "'";
    }
}
