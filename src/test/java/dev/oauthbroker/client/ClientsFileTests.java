package dev.oauthbroker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oauthbroker.crypto.Sha256;
import dev.oauthbroker.provider.CatalogLoader;
import dev.oauthbroker.provider.ProviderCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** The clients file: schema, catalogue cross-checks, YAML as written, every problem at once. */
class ClientsFileTests {

    @TempDir
    Path dir;

    final ProviderCatalog catalog = new CatalogLoader(new MockEnvironment()::resolvePlaceholders).load(Path.of("config/providers.yaml"));
    final ClientsFile reader = new ClientsFile(catalog);

    @Test
    void theShippedFileHasNoClientsAndAMissingFileNeither() {
        assertThat(reader.load(Path.of("config/clients.yaml"))).isEmpty();
        assertThat(reader.load(dir.resolve("absent.yaml"))).isEmpty();
    }

    @Test
    void bucketsExpandToTheirToolsOperationsDefaultToTokensAndAnchorsWork() throws IOException {
        String hash = ClientKeys.hash("k");
        List<BackendClient> clients = reader.load(write("""
                clients:
                  jira-fetcher: &base {buckets: [atlassian], keys: [%s]}
                  calendar:
                    <<: *base
                    buckets: [google_workspace]
                    operations: [exchange]
                """.formatted(hash)));

        assertThat(clients).extracting(BackendClient::id).containsExactly("jira-fetcher", "calendar");
        assertThat(clients.get(0).tools()).containsExactlyInAnyOrder("jira", "confluence");
        assertThat(clients.get(0).operations()).containsExactly(Operation.tokens);
        assertThat(clients.get(1).tools()).containsExactly("google_workspace");
        assertThat(clients.get(1).may(Operation.tokens)).isFalse();
        assertThat(clients.get(1).holds(Sha256.of("k"))).isTrue();
        assertThat(clients.get(1).holds(Sha256.of("K"))).isFalse();
    }

    @Test
    void everyProblemIsListedWithFileClientAndField() throws IOException {
        Path file = write("""
                clients:
                  a: {tools: [jria], keys: [obk_plaintext_key]}
                  b: {buckets: [nope], operations: [tokens, admin], keys: []}
                  c: {tools: [jira], keys: [%s, %s, %s]}
                """.formatted(ClientKeys.hash("1"), ClientKeys.hash("2"), ClientKeys.hash("3")));

        assertThatThrownBy(() -> reader.load(file)).hasMessageContaining(file + ": clients.a.keys[0]: does not match the regex pattern")
                .hasMessageContaining(file + ": clients.b.operations[1]: 'admin' is not one of")
                .hasMessageContaining(file + ": clients.b.keys: must have at least 1 items")
                .hasMessageContaining(file + ": clients.c.keys: must have at most 2 items")
                .hasMessageNotContaining("obk_plaintext_key is");
    }

    @Test
    void toolsAndBucketsOutsideTheCatalogueAreRefused() throws IOException {
        Path file = write("clients:\n  a: {tools: [jria], buckets: [nope], keys: [" + ClientKeys.hash("k") + "]}\n");

        assertThatThrownBy(() -> reader.load(file)).hasMessageContaining("clients.a.tools: unknown tool 'jria'")
                .hasMessageContaining("clients.a.buckets: unknown bucket 'nope'");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("clients-" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
