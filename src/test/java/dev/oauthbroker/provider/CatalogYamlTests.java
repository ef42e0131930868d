package dev.oauthbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** The catalogue read as YAML users (and PyYAML's or ruamel's writers) write it. */
class CatalogYamlTests {

    @TempDir
    Path dir;

    final CatalogLoader loader = new CatalogLoader(new MockEnvironment()::resolvePlaceholders);

    @Test
    void anAnchoredBlockAndItsAliasGiveBothProvidersTheSameErrors() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  acme:
                    %s
                    errors: &errs {deadGrantCodes: [invalid_grant, token_revoked]}
                    tools: {acme_tool: {displayName: Acme}}
                  acme2:
                    %s
                    errors: *errs
                    tools: {acme2_tool: {displayName: Acme 2}}
                """.formatted(urls("acme"), urls("acme2"))));

        assertThat(catalog.provider("acme2").errors().deadGrantCodes()).containsExactlyInAnyOrder("invalid_grant", "token_revoked");
        assertThat(catalog.provider("acme2").errors()).isEqualTo(catalog.provider("acme").errors());
    }

    @Test
    void aMergeKeyBringsABaseEntryWhoseFieldsTheEntryOverrides() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  one: &base
                    displayName: Base
                    authorizeUrl: http://127.0.0.1:9000/auth
                    tokenUrl: http://127.0.0.1:9000/token
                    clientId: a
                    clientSecret: b
                    pkce: false
                    tools: {one_tool: {displayName: One}}
                  two:
                    <<: *base
                    displayName: Two
                    tokenUrl: http://127.0.0.1:9001/token
                    tools: {two_tool: {displayName: Two}}
                """));

        assertThat(catalog.provider("one").displayName()).isEqualTo("Base");
        assertThat(catalog.provider("two").pkce()).isFalse();
        assertThat(catalog.provider("one").pkce()).isFalse();
        assertThat(catalog.provider("two").displayName()).isEqualTo("Two");
        assertThat(catalog.provider("two").tokenUrl()).isEqualTo("http://127.0.0.1:9001/token");
        assertThat(catalog.provider("two").authorizeUrl()).isEqualTo("http://127.0.0.1:9000/auth");
    }

    @Test
    void anAliasedListOfScopesIsAList() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  acme:
                    %s
                    scopes: &read [profile, read]
                    tools:
                      acme_tool: {displayName: Acme, scopes: *read}
                """.formatted(urls("acme"))));

        assertThat(catalog.tool("acme_tool").orElseThrow().scopes()).containsExactly("profile", "read");
    }

    @Test
    void anAliasOfTheWrongShapeIsNamedByTheFieldOfTheResolvedDocument() throws IOException {
        Path file = write("""
                providers:
                  acme:
                    %s
                    scopes: &read [profile, read]
                    identity: *read
                    tools: {acme_tool: {displayName: Acme}}
                """.formatted(urls("acme")));

        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining(file + ": providers.acme.identity: array found, object expected")
                .hasMessageNotContaining("string found");
    }

    @Test
    void aKeyWrittenTwiceIsStillAnErrorWithItsLine() throws IOException {
        Path file = write("providers:\n  a: {}\n  a: {}\n");

        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining(file + ": not valid YAML (found duplicate key a, line 3, column 3)");
    }

    @Test
    void plainScalarsFollowYamlOneTwoSoOnAndYesStayStrings() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  acme:
                    %s
                    authorizeParams: {prompt: on, access_type: yes}
                    tools: {acme_tool: {displayName: Acme}}
                """.formatted(urls("acme"))));

        assertThat(catalog.provider("acme").authorizeParams()).containsEntry("prompt", "on").containsEntry("access_type", "yes");
    }

    private static String urls(String id) {
        return "{displayName: %s, authorizeUrl: 'http://127.0.0.1:9000/auth', tokenUrl: 'http://127.0.0.1:9000/token', clientId: a, clientSecret: b}"
                .formatted(id).replace("{", "").replace("}", "").replace(", ", "\n    ");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("providers-" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
