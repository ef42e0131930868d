package dev.oauthbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.client.ClientKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oauth-cli clients add|list|rotate}, in-process: the file holds hashes only, the key is printed once. */
class ClientsCommandTests {

    private static final Pattern KEY = Pattern.compile("(?m)^(obk_[A-Za-z0-9_-]{43})$");

    @TempDir
    Path dir;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @Test
    void addWritesOnlyTheHashOfTheKeyItPrintsOnceAndKeepsTheFilesComments() throws IOException {
        Path file = dir.resolve("clients.yaml");
        Files.writeString(file, "# yaml-language-server: $schema=clients.schema.json\n# ours\nclients: {}\n");

        assertThat(run("clients", "--file", file.toString(), "add", "jira-fetcher", "--tools", "jira,confluence")).isZero();

        String key = printedKey();
        String text = Files.readString(file);
        assertThat(text).startsWith("# yaml-language-server: $schema=clients.schema.json\n# ours\n")
                .contains("jira-fetcher:", "tools: [jira, confluence]", "operations: [tokens]", "keys: [" + ClientKeys.hash(key) + "]")
                .doesNotContain(key);
        assertThat(run("clients", "--file", file.toString(), "add", "jira-fetcher", "--tools", "jira")).isEqualTo(1);
    }

    @Test
    void rotateAddsASecondKeyThenFinishKeepsOnlyTheNewest() throws IOException {
        Path file = dir.resolve("clients.yaml");
        run("clients", "--file", file.toString(), "add", "assistant", "--buckets", "atlassian", "--operations", "exchange");
        String first = printedKey();
        out.getBuffer().setLength(0);

        assertThat(run("clients", "--file", file.toString(), "rotate", "assistant")).isZero();
        String second = printedKey();
        assertThat(Files.readString(file)).contains("keys: [" + ClientKeys.hash(first) + ", " + ClientKeys.hash(second) + "]");
        assertThat(run("clients", "--file", file.toString(), "rotate", "assistant")).isEqualTo(1);
        assertThat(err.toString()).contains("already has two keys");

        assertThat(run("clients", "--file", file.toString(), "rotate", "assistant", "--finish")).isZero();
        assertThat(Files.readString(file)).contains("keys: [" + ClientKeys.hash(second) + "]").doesNotContain(ClientKeys.hash(first));
    }

    @Test
    void listShowsEachClientsScopeAndNumberOfKeys() throws IOException {
        Path file = dir.resolve("clients.yaml");
        run("clients", "--file", file.toString(), "add", "jira-fetcher", "--tools", "jira");
        run("clients", "--file", file.toString(), "rotate", "jira-fetcher");
        out.getBuffer().setLength(0);

        assertThat(run("clients", "--file", file.toString(), "list")).isZero();

        assertThat(out.toString()).containsPattern("(?m)^CLIENT +TOOLS +BUCKETS +OPERATIONS +KEYS")
                .containsPattern("(?m)^jira-fetcher +jira +- +tokens +2");
    }

    private String printedKey() {
        Matcher m = KEY.matcher(out.toString());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertThat(last).as("a key printed in:\n" + out).isNotNull();
        return last;
    }

    private int run(String... args) {
        return OAuthCli.run(Stream.of(args).toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), false,
                () -> {
                    throw new AssertionError("clients must not start the service");
                }, true);
    }
}
