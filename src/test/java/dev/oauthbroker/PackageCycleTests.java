package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between the application's packages point one way: no package reaches itself again
 * through the imports of its classes (the root package {@code dev.oauthbroker} included), and
 * {@code web} is the outer layer — it serves the other packages over HTTP, and none of them (the
 * root, {@code ops} and {@code cli} included) reaches back into it: what they share with it, such
 * as the exchange-property names and the request deadline, lives in {@code flow}.
 */
class PackageCycleTests {

    private static final Path SOURCES = Path.of("src/main/java/dev/oauthbroker");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.oauthbroker\\.((?:[a-z]\\w*\\.)*)[A-Z]", Pattern.MULTILINE);

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> uses = packageDependencies();

        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = pathBack(uses, start);
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void theCheckSeesTheImportsBetweenPackages() throws IOException {
        assertThat(packageDependencies().get("refresh")).contains("grant", "token");
    }

    @Test
    void noPackageButWebDependsOnWeb() throws IOException {
        assertThat(edgesIntoWeb(packageDependencies())).as("imports of web outside web").isEmpty();
        List<String> qualified = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(SOURCES.resolve("web"))).toList()) {
                if (Files.readString(file).contains("dev.oauthbroker.web.")) {
                    qualified.add(SOURCES.relativize(file).toString());
                }
            }
        }
        assertThat(qualified).as("files outside web naming a class of web").isEmpty();
    }

    @Test
    void theWebCheckSeesAnEdgeIntoWeb() {
        assertThat(edgesIntoWeb(Map.of("web", Set.of("grant"), "grant", Set.of("web"), "", Set.of("web"))))
                .containsExactlyInAnyOrder("grant -> web", "(root) -> web");
    }

    /** The packages other than web that import web, as "package -> web". */
    private static List<String> edgesIntoWeb(Map<String, Set<String>> uses) {
        return uses.entrySet().stream()
                .filter(use -> !use.getKey().equals("web") && use.getValue().contains("web"))
                .map(use -> (use.getKey().isEmpty() ? "(root)" : use.getKey()) + " -> web")
                .toList();
    }

    /** Package (relative to dev.oauthbroker, "" for the root) → the packages its classes import. */
    private static Map<String, Set<String>> packageDependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(Files.readString(file));
                while (imported.find()) {
                    String to = imported.group(1).isEmpty() ? "" : imported.group(1).substring(0, imported.group(1).length() - 1);
                    if (!to.equals(from)) {
                        targets.add(to);
                    }
                }
            }
        }
        return uses;
    }

    /** A path of imports from {@code start} back to itself, or null. */
    private static List<String> pathBack(Map<String, Set<String>> uses, String start) {
        Deque<List<String>> paths = new ArrayDeque<>();
        paths.add(List.of(start));
        Set<String> seen = new TreeSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.poll();
            for (String next : uses.getOrDefault(path.get(path.size() - 1), Set.of())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                if (next.equals(start)) {
                    return longer;
                }
                if (seen.add(next)) {
                    paths.add(longer);
                }
            }
        }
        return null;
    }
}
