package dev.oauthbroker.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.BrokerPropertiesTests;
import dev.oauthbroker.provider.CatalogLoader;
import dev.oauthbroker.provider.ProviderCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** {@link AdminConsents} without Spring: what the link asks for, and the refusals that store nothing. */
class AdminConsentsTests {

    @TempDir
    Path dir;

    @Test
    void theLinkAsksForTheBucketsScopesAndTheAdminOnlyToolsButNotOtherTools() throws IOException {
        ProviderCatalog catalog = catalog("office-id");

        assertThat(AdminConsents.scopesOf(catalog.provider("office"), catalog.bucket("office").orElseThrow()))
                .containsExactly("openid", "Mail.Read", "Chat.Read", "Channels.Read.All");
    }

    @Test
    void noCredentialsOrNoAdminConsentEndpointIs409AndNothingIsStored() throws IOException {
        // a store without a database: any write would fail the test
        AdminConsents unconfigured = adminConsents(catalog(""));
        assertThatThrownBy(() -> unconfigured.link("office", "alice")).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(List.of(e.kind(), e.error())).containsExactly(BrokerException.Kind.CONFLICT, "provider_unavailable"));

        AdminConsents configured = adminConsents(catalog("office-id"));
        assertThatThrownBy(() -> configured.link("wiki", "alice")).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(List.of(e.kind(), e.error())).containsExactly(BrokerException.Kind.CONFLICT, "admin_consent_unsupported"));
        assertThatThrownBy(() -> configured.link("nope", "alice")).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(List.of(e.kind(), e.error())).containsExactly(BrokerException.Kind.NOT_FOUND, "unknown_bucket"));
    }

    @Test
    void anAnswerSayingAdminConsentIsAnAdministratorsWithoutLookingItUp() throws IOException {
        AdminConsents consents = adminConsents(catalog("office-id"));

        assertThat(consents.answers("admin_consent=True&tenant=t&state=s")).isTrue();
        assertThat(consents.answers("state=%zz")).as("malformed: the sign-in path rejects it").isFalse();
        assertThat(consents.answers("code=c")).as("no state: the sign-in path rejects it").isFalse();
    }

    private AdminConsents adminConsents(ProviderCatalog catalog) {
        return new AdminConsents(catalog, new JdbcAdminConsents(null),
                BrokerPropertiesTests.properties("https://broker.example.com", "", List.of()),
                Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC));
    }

    private ProviderCatalog catalog(String clientId) throws IOException {
        Path file = dir.resolve("providers-" + clientId.length() + ".yaml");
        Files.writeString(file, """
                providers:
                  office:
                    displayName: Office
                    authorizeUrl: https://office.example.com/auth
                    tokenUrl: https://office.example.com/token
                    clientId: "%s"
                    clientSecret: b
                    scopes: [openid]
                    adminConsent:
                      url: https://office.example.com/adminconsent
                      scopes: [Channels.Read.All]
                    tools:
                      mail: {displayName: Mail, scopes: [Mail.Read]}
                      chat: {displayName: Chat, scopes: [Chat.Read]}
                      notes: {displayName: Notes, scopes: [Notes.Read]}
                      channels: {displayName: Channels, scopes: [Channels.Read.All]}
                  wiki:
                    displayName: Wiki
                    authorizeUrl: https://wiki.example.com/auth
                    tokenUrl: https://wiki.example.com/token
                    clientId: a
                    clientSecret: b
                    tools:
                      pages: {displayName: Pages}
                buckets:
                  office: {displayName: Office, provider: office, tools: [mail, chat]}
                  wiki: {displayName: Wiki, provider: wiki, tools: [pages]}
                """.formatted(clientId));
        return new CatalogLoader(new MockEnvironment()::resolvePlaceholders).load(file);
    }
}
