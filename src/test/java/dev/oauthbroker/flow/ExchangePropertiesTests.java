package dev.oauthbroker.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@link ExchangeProperties} is the one list of exchange-property names: every name a route sets or
 * reads is declared there, every constant there is used by a route or a bean, and no bean names a
 * property with a string of its own.
 */
class ExchangePropertiesTests {

    private static final Path ROUTES = Path.of("routes");
    private static final Path SOURCES = Path.of("src/main/java/dev/oauthbroker");
    /** {@code ${exchangeProperty.grant}}, {@code ${exchangeProperty.verdict.pending}}, {@code :#${exchangeProperty.eventId}}. */
    private static final Pattern READ = Pattern.compile("exchangeProperty\\.(\\w+)");
    /** {@code @ExchangeProperty("x")}, {@code exchange.getProperty("x")}, {@code e.setProperty("x", ...)}. */
    private static final Pattern RAW_NAME = Pattern.compile("@ExchangeProperty\\(\"|\\b(?:exchange|e|call)\\.(?:get|set|remove)Property\\(\"");

    @Test
    void everyPropertyARouteUsesIsDeclared() throws IOException {
        Map<String, Set<String>> used = namesInRoutes();

        assertThat(used).as("the check finds the routes' properties").containsKeys("grant", "providerRequest", "verdict", "userId");
        Set<String> declared = new TreeSet<>(declared().values());
        Map<String, Set<String>> undeclared = new TreeMap<>(used);
        undeclared.keySet().removeAll(declared);
        assertThat(undeclared).as("property names in routes/ missing from ExchangeProperties (name -> files)").isEmpty();
    }

    @Test
    void everyDeclaredPropertyIsUsed() throws IOException {
        Set<String> inRoutes = namesInRoutes().keySet();
        String java = javaOutsideTheList();

        List<String> unused = new ArrayList<>();
        declared().forEach((constant, name) -> {
            if (!inRoutes.contains(name) && !java.contains("ExchangeProperties." + constant)) {
                unused.add(constant + " = " + name);
            }
        });
        assertThat(unused).as("constants of ExchangeProperties no route and no bean uses").isEmpty();
    }

    @Test
    void noBeanNamesAPropertyWithItsOwnString() throws IOException {
        List<String> raw = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (RAW_NAME.matcher(lines.get(i)).find()) {
                        raw.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(raw).as("exchange properties named by a string instead of an ExchangeProperties constant").isEmpty();
    }

    /** Constant name → property name. */
    private static Map<String, String> declared() {
        Map<String, String> declared = new TreeMap<>();
        for (Field field : ExchangeProperties.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    declared.put(field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return declared;
    }

    /** Property name → the route files that set or read it. */
    private static Map<String, Set<String>> namesInRoutes() throws IOException {
        Map<String, Set<String>> names = new TreeMap<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    collect(document, file.getFileName().toString(), names);
                }
            }
        }
        return names;
    }

    private static void collect(Object node, String file, Map<String, Set<String>> names) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                // setProperty / removeProperty {name: x}; the exchangeProperty expression {exchangeProperty: x}
                if (("setProperty".equals(key) || "removeProperty".equals(key)) && value instanceof Map<?, ?> step && step.get("name") instanceof String name) {
                    names.computeIfAbsent(name, k -> new TreeSet<>()).add(file);
                } else if ("exchangeProperty".equals(key) && value instanceof String name) {
                    names.computeIfAbsent(name, k -> new TreeSet<>()).add(file);
                }
                collect(value, file, names);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, file, names));
        } else if (node instanceof String text) {
            Matcher read = READ.matcher(text);
            while (read.find()) {
                names.computeIfAbsent(read.group(1), k -> new TreeSet<>()).add(file);
            }
        }
    }

    private static String javaOutsideTheList() throws IOException {
        StringBuilder java = new StringBuilder();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("ExchangeProperties.java")).toList()) {
                java.append(Files.readString(file)).append('\n');
            }
        }
        return java.toString();
    }
}
