package dev.oauthbroker.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The catalogue reloaded without restart, on the running service: a valid change is swapped in, an
 * invalid one refused with the running catalogue kept, and the grants of a provider that left the
 * catalogue stay untouched in the database and serve again when it returns. (The reloader here
 * watches a copy of the test catalogue; the service's own catalogue is put back after each test.)
 */
class CatalogueReloadTests extends BrokerIntegrationTest {

    static final Path SHIPPED = Path.of("src/test/resources/providers-test.yaml");

    @TempDir
    Path dir;

    @Autowired
    Environment environment;

    Path file;
    CatalogReloader reloader;
    ProviderCatalog running;

    @BeforeEach
    void watchACopy() throws IOException {
        file = dir.resolve("providers.yaml");
        Files.copy(SHIPPED, file);
        CatalogLoader loader = new CatalogLoader(environment::resolvePlaceholders);
        running = loader.load(SHIPPED);
        reloader = new CatalogReloader(catalog, loader, file, Duration.ZERO);
    }

    @AfterEach
    void putTheServicesCatalogueBack() {
        catalog.replaceWith(running);
    }

    @Test
    void aProviderThatLeavesTheCatalogueLeavesItsGrantsUntouchedAndTheyServeAgainWhenItReturns() throws IOException {
        Grant grant = connected("ann", "acme", List.of("acme_wiki"), "acme-SECRET-ann", "acme-SECRET-rt-ann", 3600L);
        assertThat(internalToken("ann", "acme_wiki", false).statusCode()).isEqualTo(200);

        Files.writeString(file, withoutAcme());
        assertThat(reloader.reloadIfChanged()).isEqualTo(CatalogReloader.Outcome.RELOADED);

        assertThat(call("GET", "/api/tools", null).body()).doesNotContain("acme_wiki");
        HttpResponse<String> gone = internalToken("ann", "acme_wiki", false);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).get("error").asText()).isEqualTo("unknown_tool");
        HttpResponse<String> validated = call("POST", "/api/integrations/validate", TestUsers.jwt("ann"));
        assertThat(validated.statusCode()).isEqualTo(200);
        providers.verify(0, anyRequestedFor(anyUrl()));
        Map<String, Object> row = jdbc.queryForMap("select status, last_validated_at, last_error, token_version from grants where id = ?", grant.id());
        assertThat(row).containsEntry("status", "active").containsEntry("last_validated_at", null).containsEntry("last_error", null)
                .containsEntry("token_version", grant.tokenVersion());

        Files.copy(SHIPPED, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(reloader.reloadIfChanged()).isEqualTo(CatalogReloader.Outcome.RELOADED);

        HttpResponse<String> back = internalToken("ann", "acme_wiki", false);
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(json(back).get("accessToken").asText()).isEqualTo("acme-SECRET-ann");
        assertThat(jdbc.queryForObject("select count(*) from grants where user_id = 'ann'", Integer.class)).isEqualTo(1);
    }

    @Test
    void anInvalidChangeIsRefusedAndTheRunningCatalogueStaysAnUnchangedFileIsNotReloaded() throws IOException {
        assertThat(reloader.reloadIfChanged()).isEqualTo(CatalogReloader.Outcome.UNCHANGED);

        Files.writeString(file, Files.readString(SHIPPED).replace("displayName: Acme\n", "displayName: Acme\n    scope: [typo]\n"));
        assertThat(reloader.reloadIfChanged()).isEqualTo(CatalogReloader.Outcome.REFUSED);

        assertThat(catalog.tool("acme_wiki")).isPresent();
        assertThat(call("GET", "/api/tools", null).body()).contains("acme_wiki");
        assertThat(dev.oauthbroker.LogCapture.serviceLines()).anyMatch(line -> line.contains("catalogue change refused")
                && line.contains("providers.acme.scope: unknown field"));
        assertThat(reloader.reloadIfChanged()).as("the same refused file is not read again").isEqualTo(CatalogReloader.Outcome.UNCHANGED);
    }

    @SuppressWarnings("unchecked")
    private static String withoutAcme() throws IOException {
        Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(SHIPPED));
        ((Map<String, Object>) yaml.get("providers")).remove("acme");
        ((Map<String, Object>) yaml.get("buckets")).remove("acme");
        return new Yaml().dump(yaml);
    }
}
