package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A JSON Schema (draft-07: {@code config/providers.schema.json}, {@code config/clients.schema.json}) applied to a YAML file before it is
 * bound: every violation at once, each as {@code <entry>.<field>: <what is wrong>} — unknown keys,
 * values outside an enum, missing required fields, wrong types.
 */
public final class CatalogSchema {

    /** Where the schema lives, beside the shipped catalogue (working directory relative, like {@code routes/}). */
    static final Path FILE = Path.of("config/providers.schema.json");

    private final JsonSchema schema;

    public CatalogSchema(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot read the catalogue schema (" + e.getMessage() + ")");
        }
    }

    /** The catalogue's violations, sorted by where they are. */
    public List<String> problems(JsonNode catalogue) {
        return schema.validate(catalogue).stream().map(CatalogSchema::describe).sorted(Comparator.naturalOrder()).distinct().toList();
    }

    private static String describe(ValidationMessage m) {
        String at = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        String problem;
        switch (m.getType()) {
            case "additionalProperties" -> {
                at = join(at, m.getProperty());
                problem = "unknown field";
            }
            case "required" -> {
                at = join(at, m.getProperty());
                problem = "missing";
            }
            case "enum" -> problem = "'" + m.getInstanceNode().asText() + "' is not one of " + m.getSchemaNode();
            default -> problem = m.getMessage().substring(m.getMessage().indexOf(": ") + 2);
        }
        return (at.isEmpty() ? "(top level)" : at) + ": " + problem;
    }

    private static String join(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }
}
