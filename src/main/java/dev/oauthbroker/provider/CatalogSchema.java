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
 * {@code config/providers.schema.json} (JSON Schema draft-07) applied to a catalogue before it is
 * bound: every violation at once, each as {@code <entry>.<field>: <what is wrong>} — unknown keys,
 * values outside an enum, missing required fields, wrong types.
 */
final class CatalogSchema {

    /** Where the schema lives, beside the shipped catalogue (working directory relative, like {@code routes/}). */
    static final Path FILE = Path.of("config/providers.schema.json");

    private final JsonSchema schema;

    CatalogSchema(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot read the catalogue schema (" + e.getMessage() + ")");
        }
    }

    /** The catalogue's violations, sorted by where they are. */
    List<String> problems(JsonNode catalogue) {
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
