package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a configuration file (the catalogue, the backend clients) as YAML users write it: anchors ({@code &errs}), aliases ({@code *errs}) and
 * merge keys ({@code <<: *base}) are resolved before validation, so errors name fields of the
 * resolved document. A key written twice in one mapping stays an error (with its line); a key that
 * overrides one brought in by a merge key does not. Plain scalars follow YAML 1.2's core schema
 * ({@code on}, {@code yes} and {@code 2026-01-01} stay strings), the way the JSON schema reads them.
 */
public final class YamlDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private YamlDocuments() {
    }

    /** The document as a tree; {@link MissingNode} for an empty file. */
    public static JsonNode read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                new CoreSchemaResolver());
        Object document = yaml.load(text);
        return document == null ? MissingNode.getInstance() : JSON.valueToTree(document);
    }

    /** YAML 1.2 core schema (booleans, integers, floats, null) plus the merge key; everything else is a string. */
    private static final class CoreSchemaResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
            addImplicitResolver(Tag.INT, Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789");
            addImplicitResolver(Tag.FLOAT, Pattern.compile(
                    "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
                    "-+0123456789.");
            addImplicitResolver(Tag.MERGE, Pattern.compile("^(?:<<)$"), "<");
            addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL| )$"), "~nN\0");
            addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
        }
    }
}
