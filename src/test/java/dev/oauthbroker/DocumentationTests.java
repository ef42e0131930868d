package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays a five-minute read, and the documentation holds together: every relative link of
 * README.md and docs/*.md reaches an existing file (and, with a {@code #fragment}, a heading of it),
 * the README maps every file of docs/, and every file that names a README section or a docs/ file
 * names one that exists. Plain file reading, no Spring.
 */
class DocumentationTests {

    static final int README_MAX_LINES = 200;

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern README_SECTION = Pattern.compile("README(?:'s)?,?(?: section)? \"([^\"\\n]+)\"");
    private static final Pattern DOCS_FILE = Pattern.compile("docs/[a-z0-9-]+\\.md");
    private static final List<String> SOURCES = List.of("src", "routes", "config", "docs", "bench", ".ci", ".mvn");

    @Test
    void theReadmeHasAtMost200Lines() throws IOException {
        assertThat(Files.readAllLines(README).size()).as("lines of README.md").isLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndDocsReachesAFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : markdownFiles()) {
            for (String target : links(Files.readString(doc))) {
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // https:, mailto: — not a file of this repository
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path file = path.isEmpty() ? doc : doc.resolveSibling(path).normalize();
                if (!Files.exists(file)) {
                    broken.add(doc + ": " + target + " (no file " + file + ")");
                } else if (hash >= 0 && file.toString().endsWith(".md")
                        && !anchors(Files.readString(file)).contains(target.substring(hash + 1))) {
                    broken.add(doc + ": " + target + " (no heading #" + target.substring(hash + 1) + " in " + file + ")");
                }
            }
        }
        assertThat(broken).as("relative links of README.md and docs/*.md").isEmpty();
    }

    @Test
    void theReadmeMapsEveryFileOfDocs() throws IOException {
        Set<String> linked = new TreeSet<>(links(Files.readString(README)));
        try (Stream<Path> files = Files.list(DOCS)) {
            List<String> unmapped = files.filter(f -> f.toString().endsWith(".md"))
                    .map(f -> "docs/" + f.getFileName())
                    .filter(f -> linked.stream().noneMatch(l -> l.equals(f) || l.startsWith(f + "#")))
                    .toList();
            assertThat(unmapped).as("docs/*.md files the README does not link to").isEmpty();
        }
    }

    @Test
    void everyReadmeSectionAndDocsFileNamedInTheSourcesExists() throws IOException {
        Set<String> headings = new LinkedHashSet<>(headings(Files.readString(README)));
        for (Path doc : markdownFiles()) {
            headings.addAll(headings(Files.readString(doc)));
        }
        List<String> missing = new ArrayList<>();
        for (Path file : sourceFiles()) {
            String text = Files.readString(file);
            Matcher section = README_SECTION.matcher(text);
            while (section.find()) {
                String name = section.group(1);
                if (headings.stream().noneMatch(h -> h.equals(name) || h.startsWith(name + " ") || h.startsWith(name + " ("))) {
                    missing.add(file + ": README \"" + name + "\" (no such heading in README.md or docs/)");
                }
            }
            Matcher docsFile = DOCS_FILE.matcher(text);
            while (docsFile.find()) {
                if (!Files.exists(Path.of(docsFile.group()))) {
                    missing.add(file + ": " + docsFile.group() + " (no such file)");
                }
            }
        }
        assertThat(missing).as("references to README sections and docs/ files").isEmpty();
    }

    /** GitHub's anchors: the heading lower-cased, punctuation dropped, spaces as hyphens; repeats get -1, -2, … */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String heading : headings(markdown)) {
            String slug = heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /** The headings' texts, outside fenced code blocks. */
    static List<String> headings(String markdown) {
        List<String> headings = new ArrayList<>();
        for (String line : prose(markdown)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                headings.add(heading.group(1));
            }
        }
        return headings;
    }

    /** The targets of the Markdown links, outside fenced code blocks. */
    static List<String> links(String markdown) {
        List<String> links = new ArrayList<>();
        for (String line : prose(markdown)) {
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                links.add(link.group(1));
            }
        }
        return links;
    }

    private static List<String> prose(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** The text files where code, routes, configuration and docs refer to the documentation. */
    private static List<Path> sourceFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("pom.xml"), Path.of("compose.yaml"), Path.of("oauth-cli")));
        for (String root : SOURCES) {
            if (Files.isDirectory(Path.of(root))) {
                try (Stream<Path> walk = Files.walk(Path.of(root))) {
                    walk.filter(Files::isRegularFile)
                            .filter(f -> f.toString().matches(".*\\.(java|ya?ml|json|sql|md|xml|sh|properties|html|js)$")
                                    || f.getFileName().toString().equals("run"))
                            .forEach(files::add);
                }
            }
        }
        files.removeIf(f -> !Files.exists(f));
        return files;
    }
}
