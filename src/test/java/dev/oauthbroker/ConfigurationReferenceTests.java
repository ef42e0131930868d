package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** The "Configuration reference" of docs/configuration.md lists every variable application.yaml reads, with its default. */
class ConfigurationReferenceTests {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):");
    private static final Pattern ROW = Pattern.compile("^\\|([^|]*)\\|([^|]*)\\|");

    @Test
    void everyVariableOfApplicationYamlIsInTheReferenceWithItsDefault() throws IOException {
        Map<String, String> variables = variables(Files.readString(Path.of("src/main/resources/application.yaml")));
        String reference = section(Files.readString(Path.of("docs/configuration.md")), "## Configuration reference");
        assertThat(variables).as("variables read by application.yaml").containsKeys("BROKER_SWEEP_CRON", "PUBLIC_BASE_URL");

        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            String defaultCell = defaultCellOf(reference, variable.getKey());
            softly.assertThat(defaultCell).as("docs/configuration.md row of %s", variable.getKey()).isNotNull();
            String value = variable.getValue();
            if (defaultCell != null && !value.contains("${")) {
                softly.assertThat(defaultCell).as("docs/configuration.md default of %s", variable.getKey())
                        .isEqualTo(value.isEmpty() ? "empty" : "`" + value + "`");
            }
        }
        softly.assertAll();
    }

    @Test
    void everyVariableOfAProfileIsInTheReference() throws IOException {
        String reference = section(Files.readString(Path.of("docs/configuration.md")), "## Configuration reference");
        SoftAssertions softly = new SoftAssertions();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources"))) {
            for (Path profile : files.filter(f -> f.getFileName().toString().matches("application-.+\\.ya?ml")).sorted().toList()) {
                for (String variable : variables(Files.readString(profile)).keySet()) {
                    softly.assertThat(defaultCellOf(reference, variable))
                            .as("docs/configuration.md row of %s (read by %s)", variable, profile.getFileName()).isNotNull();
                }
            }
        }
        softly.assertAll();
    }

    /** Every {@code ${VAR:default}} of the file (a default may hold another placeholder). */
    static Map<String, String> variables(String yaml) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher variable = VARIABLE.matcher(yaml);
        while (variable.find()) {
            int depth = 1;
            int end = variable.end();
            while (depth > 0) {
                char c = yaml.charAt(end++);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            found.put(variable.group(1), yaml.substring(variable.end(), end - 1));
        }
        return found;
    }

    private static String section(String doc, String heading) {
        int start = doc.indexOf(heading + "\n");
        assertThat(start).as("docs/configuration.md section " + heading).isNotNegative();
        int end = doc.indexOf("\n## ", start + heading.length());
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** The default cell of the table row whose first cell names the variable; null when none does. */
    private static String defaultCellOf(String reference, String name) {
        for (String line : reference.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find() && row.group(1).contains("`" + name + "`")) {
                return row.group(2).trim();
            }
        }
        return null;
    }
}
