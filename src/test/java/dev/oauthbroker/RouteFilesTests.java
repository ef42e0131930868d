package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every flow file validates against the YAML DSL schema of our exact Camel version (shipped in
 * camel-yaml-dsl as schema/camelYamlDsl.json) — what an integrator's editor checks as they type.
 */
class RouteFilesTests {

    @Test
    void everyRouteFileMatchesCamelsYamlDslSchema() throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(new ObjectMapper().readTree(in));
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            files = listing.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("authorize.camel.yaml", "callback.camel.yaml",
                "token.camel.yaml", "refresh.camel.yaml", "revoke.camel.yaml", "validate.camel.yaml", "rest-api.camel.yaml");
        for (Path file : files) {
            Object yaml;
            try (Reader reader = Files.newBufferedReader(file)) {
                yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            }
            JsonNode routes = new ObjectMapper().valueToTree(yaml);
            Set<ValidationMessage> problems = schema.validate(routes);
            assertThat(problems).as(file + " against camelYamlDsl.json").isEmpty();
        }
    }

    @Test
    void everyRouteHasAnIdStartingWithItsFilesName() throws Exception {
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            for (Path file : listing.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                String stem = file.getFileName().toString().replace(".camel.yaml", "");
                List<?> entries = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
                for (Object entry : entries) {
                    if (entry instanceof Map<?, ?> map && map.get("route") instanceof Map<?, ?> route) {
                        String id = String.valueOf(route.get("id"));
                        assertThat(id).as(file + " route id").startsWith(stem);
                    }
                }
            }
        }
    }
}
