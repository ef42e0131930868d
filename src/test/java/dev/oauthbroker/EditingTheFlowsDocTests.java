package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The section "Editing the flows" of docs/extending.md names route ids an integrator will look for in
 * {@code routes/}: each of them must still exist, and every flow file must have its place in that section.
 */
class EditingTheFlowsDocTests {

    static final Path EXTENDING = Path.of("docs/extending.md");

    private static final Pattern ROUTE_IDS_LINE = Pattern.compile("(?m)^Route ids: (.+)$");
    private static final Pattern QUOTED = Pattern.compile("`([a-z0-9-]+)`");

    @Test
    void everyRouteIdTheSectionNamesExistsInRoutes() throws Exception {
        String section = editingTheFlows();
        Set<String> named = new TreeSet<>();
        Matcher lines = ROUTE_IDS_LINE.matcher(section);
        while (lines.find()) {
            Matcher ids = QUOTED.matcher(lines.group(1));
            while (ids.find()) {
                named.add(ids.group(1));
            }
        }
        assertThat(named).as("route ids named in docs/extending.md 'Editing the flows'").isNotEmpty();
        assertThat(routeIds()).containsAll(named);
    }

    @Test
    void everyFlowFileHasItsPlaceInTheSection() throws Exception {
        String section = editingTheFlows();
        assertThat(section).contains("```mermaid");
        for (Path file : RouteFolder.files()) {
            assertThat(section).as("docs/extending.md 'Editing the flows' mentions " + file.getFileName())
                    .contains(file.getFileName().toString());
        }
    }

    private static String editingTheFlows() throws Exception {
        String doc = Files.readString(EXTENDING);
        int start = doc.indexOf("## Editing the flows");
        assertThat(start).as("docs/extending.md section '## Editing the flows'").isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    /** The id of every {@code route} in every file of {@code routes/}. */
    private static Set<String> routeIds() throws Exception {
        Set<String> ids = new TreeSet<>();
        for (Path file : RouteFolder.files()) {
            try (Reader reader = Files.newBufferedReader(file)) {
                Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
                for (Object item : yaml instanceof List<?> list ? list : new ArrayList<>()) {
                    if (item instanceof Map<?, ?> entry && entry.get("route") instanceof Map<?, ?> route) {
                        ids.add(String.valueOf(route.get("id")));
                    }
                }
            }
        }
        return ids;
    }
}
