package dev.oauthbroker.check;

import dev.oauthbroker.provider.CatalogException;
import dev.oauthbroker.provider.CatalogLoader;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalogue as the service would load it (schema, cross-references, https URLs — the same
 * {@link CatalogLoader}), every problem with its line; plus a note for each placeholder that will
 * need a variable where the check runs without it (a provider without credentials is unavailable,
 * a placeholder without a default is left unresolved).
 */
public final class CatalogueCheck {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(:[^}]*)?}");

    private final UnaryOperator<String> variables;

    /** {@code variables}: a name's value where the service will run, or null when unset. */
    public CatalogueCheck(UnaryOperator<String> variables) {
        this.variables = variables;
    }

    public List<Problem> check(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return List.of(Problem.error(file, 0, "", "cannot read the provider catalogue (" + e.getMessage() + ")"));
        }
        YamlLines lines = new YamlLines(text);
        List<Problem> problems = new ArrayList<>();
        ProviderCatalog catalog = null;
        try {
            catalog = new CatalogLoader(this::resolve).load(file);
        } catch (CatalogException e) {
            if (e.problems().isEmpty()) {
                problems.add(Problem.error(file, 0, "", e.getMessage().replace(file + ": ", "")));
            }
            for (String problem : e.problems()) {
                int colon = problem.indexOf(": ");
                String key = problem.substring(0, colon);
                problems.add(Problem.error(file, lines.lineOf(key), key, problem.substring(colon + 2)));
            }
        }
        if (catalog != null) {
            for (Provider provider : catalog.providers()) {
                List<String> unset = provider.credentialVariables().stream().filter(name -> variables.apply(name) == null).toList();
                if (!unset.isEmpty()) {
                    String key = "providers." + provider.id();
                    problems.add(Problem.note(file, lines.lineOf(key), key,
                            "needs " + String.join(", ", unset) + " (unset here: the provider will be unavailable)"));
                }
            }
        }
        problems.addAll(placeholdersWithoutDefault(file, text));
        return problems;
    }

    private String resolve(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = variables.apply(m.group(1));
            String replacement = set != null ? set : m.group(2) != null ? m.group(2).substring(1) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    /** {@code ${NAME}} with no {@code :default} and NAME unset: the service would keep the text as it is. */
    private List<Problem> placeholdersWithoutDefault(Path file, String text) {
        List<Problem> notes = new ArrayList<>();
        String[] rows = text.split("\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i].replaceFirst("\\s+#.*$", "");
            Matcher m = PLACEHOLDER.matcher(row);
            while (m.find()) {
                if (m.group(2) == null && variables.apply(m.group(1)) == null) {
                    notes.add(Problem.note(file, i + 1, "", "${" + m.group(1) + "} has no default and " + m.group(1) + " is unset here"));
                }
            }
        }
        return notes;
    }
}
