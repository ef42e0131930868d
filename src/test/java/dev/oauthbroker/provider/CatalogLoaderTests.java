package dev.oauthbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class CatalogLoaderTests {

    @TempDir
    Path dir;

    final MockEnvironment environment = new MockEnvironment();
    final CatalogLoader loader = new CatalogLoader(environment::resolvePlaceholders);

    @Test
    void shippedCatalogueHasThirteenToolsSevenProvidersFourBucketsAllUnavailableWithoutCredentials() {
        ProviderCatalog catalog = loader.load(Path.of("config/providers.yaml"));

        assertThat(catalog.tools()).extracting(Tool::id).containsExactlyInAnyOrder("github", "jira", "confluence",
                "outlook", "teams", "onedrive", "onenote", "sharepoint", "teams_channels", "google_workspace", "slack", "figma", "zoom");
        assertThat(catalog.providers()).hasSize(7).noneMatch(Provider::available);
        assertThat(catalog.buckets()).extracting(Bucket::id).containsExactly("github", "atlassian", "microsoft", "google_workspace");
        assertThat(catalog.bucket("atlassian").orElseThrow().tools()).containsExactly("jira", "confluence");
        Provider atlassian = catalog.provider("atlassian");
        assertThat(atlassian.pkce()).isFalse();
        assertThat(atlassian.authorizeParams()).containsEntry("audience", "api.atlassian.com").containsEntry("prompt", "consent");
        assertThat(atlassian.scopes()).contains("offline_access");
        assertThat(catalog.provider("microsoft").authorizeUrl()).isEqualTo("https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
        assertThat(catalog.provider("google").authorizeParams()).containsEntry("access_type", "offline");
        assertThat(catalog.provider("zoom").clientAuth()).isEqualTo(ClientAuth.client_secret_basic);
        assertThat(catalog.provider("figma").refreshEndpoint()).isEqualTo("https://api.figma.com/v1/oauth/refresh");
    }

    @Test
    void shippedBucketsSayWhatTheyGiveAndWhatIsComingSoon() {
        ProviderCatalog catalog = loader.load(Path.of("config/providers.yaml"));

        assertThat(catalog.gives(catalog.bucket("github").orElseThrow())).containsExactly("Pull requests", "Commits", "Reviews", "Issues");
        assertThat(catalog.gives(catalog.bucket("atlassian").orElseThrow())).containsExactly("Jira issues", "Confluence pages");
        assertThat(catalog.gives(catalog.bucket("microsoft").orElseThrow()))
                .containsExactly("Outlook mail", "Outlook calendar", "Teams chats", "Teams channels", "OneDrive files");
        assertThat(catalog.gives(catalog.bucket("google_workspace").orElseThrow())).containsExactly("Calendar", "Drive");
        assertThat(catalog.tools()).filteredOn(Tool::comingSoon).extracting(Tool::id).containsExactly("onenote", "sharepoint");
        assertThat(catalog.buckets()).noneMatch(catalog::comingSoon);
    }

    @Test
    void aBucketGivesWhatItsUsableToolsGiveInOrderAndIsComingSoonOnlyWhenAllItsToolsAre() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  office:
                    displayName: Office
                    authorizeUrl: https://office.example.com/auth
                    tokenUrl: https://office.example.com/token
                    clientId: a
                    clientSecret: b
                    tools:
                      mail: {displayName: Mail, gives: [Mail, Calendar]}
                      calendar: {displayName: Calendar, gives: [Calendar, Rooms]}
                      notes: {displayName: Notes}
                      video: {displayName: Video, gives: [Recordings], comingSoon: true}
                      chat: {displayName: Chat, comingSoon: true}
                buckets:
                  office: {displayName: Office, provider: office, tools: [mail, calendar, notes, video]}
                  later: {displayName: Later, provider: office, tools: [video, chat]}
                """));

        Bucket office = catalog.bucket("office").orElseThrow();
        assertThat(catalog.gives(office)).containsExactly("Mail", "Calendar", "Rooms", "Notes");
        assertThat(catalog.comingSoon(office)).isFalse();
        Bucket later = catalog.bucket("later").orElseThrow();
        assertThat(catalog.gives(later)).containsExactly("Recordings", "Chat");
        assertThat(catalog.comingSoon(later)).isTrue();
        assertThat(catalog.tool("notes").orElseThrow().comingSoon()).isFalse();
    }

    @Test
    void credentialsFromTheEnvironmentMakeAProviderAvailable() {
        environment.setProperty("GITHUB_CLIENT_ID", "id");
        environment.setProperty("GITHUB_CLIENT_SECRET", "secret");
        ProviderCatalog catalog = loader.load(Path.of("config/providers.yaml"));
        assertThat(catalog.provider("github").available()).isTrue();
        assertThat(catalog.provider("github").clientId()).isEqualTo("id");
        assertThat(catalog.provider("slack").available()).isFalse();
    }

    @Test
    void theSandboxEntryExistsOnlyWhenEnabled() {
        ProviderCatalog off = loader.load(Path.of("config/providers.yaml"));
        assertThat(off.tool("sandbox")).isEmpty();
        assertThat(off.bucket("sandbox")).isEmpty();

        environment.setProperty("BROKER_SANDBOX_ENABLED", "true");
        environment.setProperty("SANDBOX_CLIENT_SECRET", "s3cret");
        environment.setProperty("broker.public-base-url", "http://localhost:8080");
        ProviderCatalog on = loader.load(Path.of("config/providers.yaml"));
        assertThat(on.provider("sandbox").available()).isTrue();
        assertThat(on.provider("sandbox").tokenUrl()).isEqualTo("http://localhost:8080/sandbox/oauth2/token");
        assertThat(on.bucket("sandbox")).isPresent();
        assertThat(on.buckets()).hasSize(5);
    }

    @Test
    void aStandardsProviderNeedsOnlyYaml() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  keycloak:
                    displayName: Company SSO
                    authorizeUrl: https://sso.example.com/realms/x/protocol/openid-connect/auth
                    tokenUrl: https://sso.example.com/realms/x/protocol/openid-connect/token
                    clientId: kc
                    clientSecret: secret
                    tools:
                      wiki: {displayName: Wiki}
                buckets:
                  keycloak: {displayName: Company SSO, provider: keycloak, tools: [wiki]}
                """));
        Provider keycloak = catalog.provider("keycloak");
        assertThat(keycloak.errors()).as("plain RFC 6749 errors").isEqualTo(AnswerRules.RFC6749);
        assertThat(keycloak.revocation()).as("no revocation block, no revocation").isNull();
        assertThat(keycloak.scopeValue(List.of("openid", "wiki"))).isEqualTo("openid wiki");
        assertThat(keycloak.scopeParameter()).isEqualTo("scope");
        assertThat(keycloak.pkce()).isTrue();
        assertThat(keycloak.clientAuth()).isEqualTo(ClientAuth.client_secret_post);
        assertThat(keycloak.refreshConcurrency()).isEqualTo(8);
        assertThat(catalog.tool("wiki")).isPresent();
    }

    @Test
    void everyProblemIsReportedWithFileEntryAndField() throws IOException {
        Path file = write("""
                providers:
                  github:
                    displayName: GitHub
                    authorizeUrl: http://github.com/login/oauth/authorize
                    clientId: a
                    clientSecret: b
                    clientAuth: client_secret_jwt
                    refreshConcurrency: 0
                    authorizeParams: {redirect_uri: "https://evil.example/cb", prompt: consent}
                    colour: blue
                    tools:
                      github: {displayName: GitHub}
                  other:
                    displayName: Other
                    dialect: kerberos
                    authorizeUrl: https://other.example.com/auth
                    tokenUrl: https://other.example.com/token
                    clientId: a
                    clientSecret: b
                    tools:
                      github: {displayName: GitHub again}
                      other_tool: {displayName: Other, gives: [], comingSoon: soon}
                buckets:
                  code: {displayName: Code, provider: github, tools: [github, gitlab]}
                  ghost: {displayName: Ghost, provider: nobody, tools: [github]}
                """);
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("providers.github.tokenUrl: missing")
                .hasMessageContaining("providers.github.authorizeUrl: 'http://github.com/login/oauth/authorize' must be an https URL")
                .hasMessageContaining("providers.github.colour: unknown field")
                .hasMessageContaining("providers.github.authorizeParams.redirect_uri: is set by the broker itself")
                .hasMessageContaining("providers.github.clientAuth: 'client_secret_jwt' is not one of")
                .hasMessageContaining("providers.github.refreshConcurrency: must have a minimum value of 1")
                .hasMessageContaining("providers.other.dialect: unknown field")
                .hasMessageContaining("providers.other.tools.github: tool 'github' is already served by provider 'github'")
                .hasMessageContaining("providers.other.tools.other_tool.gives: must have at least 1 items")
                .hasMessageContaining("providers.other.tools.other_tool.comingSoon: string found, boolean expected")
                .hasMessageContaining("buckets.code.tools: unknown tool 'gitlab'")
                .hasMessageContaining("buckets.ghost.provider: unknown provider 'nobody'");
    }

    @Test
    void typosInTheQuirkBlocksAreAllReportedAtOnceWithFileEntryAndField() throws IOException {
        Path file = write("""
                providers:
                  chat:
                    displayName: Chat
                    authorizeUrl: https://chat.example.com/authorize
                    tokenUrl: https://chat.example.com/token
                    clientId: a
                    clientSecret: b
                    scopeDelimitter: ","
                    errors: {okField: ok, deadGrantCode: [token_revoked]}
                    revocation: {url: https://chat.example.com/revoke, method: PUT, auth: bearer, body: xml, tokens: [id_token]}
                    identity: {method: GET}
                    tools:
                      chat: {displayName: Chat}
                  wiki:
                    authorizeUrl: https://wiki.example.com/authorize
                    tokenUrl: https://wiki.example.com/token
                    clientId: a
                    clientSecret: b
                    enabled: maybe
                    tools:
                      Wiki: {displayName: Wiki}
                """);
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(CatalogException.class)
                .satisfies(e -> assertThat(e.getMessage().lines().skip(1).toList()).as("one line per problem, each naming the file")
                        .allMatch(line -> line.startsWith("  - " + file + ": "))
                        .containsExactly(
                                "  - " + file + ": providers.chat.errors.deadGrantCode: unknown field",
                                "  - " + file + ": providers.chat.identity.url: missing",
                                "  - " + file + ": providers.chat.revocation.auth: 'bearer' is not one of"
                                        + " [\"client_auth\",\"client_secret_basic\",\"client_secret_post\",\"bearer_access_token\",\"none\"]",
                                "  - " + file + ": providers.chat.revocation.body: 'xml' is not one of [\"form\",\"json\",\"none\"]",
                                "  - " + file + ": providers.chat.revocation.method: 'PUT' is not one of [\"POST\",\"DELETE\"]",
                                "  - " + file + ": providers.chat.revocation.tokens[0]: 'id_token' is not one of [\"refresh_token\",\"access_token\"]",
                                "  - " + file + ": providers.chat.scopeDelimitter: unknown field",
                                "  - " + file + ": providers.wiki.displayName: missing",
                                "  - " + file + ": providers.wiki.enabled: does not match the regex pattern ^\\$\\{[^}]+\\}$",
                                "  - " + file + ": providers.wiki.enabled: string found, boolean expected",
                                "  - " + file + ": providers.wiki.tools: property 'Wiki' name is not valid: does not match the regex pattern ^[a-z][a-z0-9_]{0,39}$"));
    }

    @Test
    void adminConsentNamesTheAdminOnlyScopesThatToolsAskAndAnHttpsEndpoint() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  office:
                    displayName: Office
                    authorizeUrl: https://office.example.com/auth
                    tokenUrl: https://office.example.com/token
                    clientId: a
                    clientSecret: b
                    scopes: [openid, offline_access]
                    adminConsent:
                      url: https://office.example.com/adminconsent
                      scopeResource: https://api.office.example.com/
                      scopes: [Channels.Read.All]
                    errors: {adminConsentCodes: [E90094]}
                    tools:
                      chat: {displayName: Chat, scopes: [Chat.Read]}
                      channels: {displayName: Channels, scopes: [Chat.Read, Channels.Read.All]}
                buckets:
                  office: {displayName: Office, provider: office, tools: [chat]}
                """));

        Provider office = catalog.provider("office");
        assertThat(catalog.adminConsentTools(office)).extracting(Tool::id).containsExactly("channels");
        assertThat(catalog.adminConsentBucket("office")).map(Bucket::id).contains("office");
        assertThat(office.adminConsent().qualified(List.of("openid", "offline_access", "Chat.Read", "https://other.example.com/x")))
                .containsExactly("openid", "offline_access", "https://api.office.example.com/Chat.Read", "https://other.example.com/x");
        assertThat(office.errors().needsAdminConsent("access_denied", "E90094: ask your admin")).isTrue();
        assertThat(office.errors().needsAdminConsent("access_denied", "E900941 is another code")).isFalse();

        Path wrong = write("""
                providers:
                  office:
                    displayName: Office
                    authorizeUrl: https://office.example.com/auth
                    tokenUrl: https://office.example.com/token
                    clientId: a
                    clientSecret: b
                    adminConsent:
                      url: http://office.example.com/adminconsent
                      scopes: [Sites.FullControl.All]
                      tenant: common
                    tools:
                      chat: {displayName: Chat, scopes: [Chat.Read]}
                """);
        assertThatThrownBy(() -> loader.load(wrong)).isInstanceOf(CatalogException.class)
                .satisfies(e -> assertThat(e.getMessage().lines().skip(1).toList()).containsExactly(
                        "  - " + wrong + ": providers.office.adminConsent.scopes: scope 'Sites.FullControl.All' is asked by no tool of this provider",
                        "  - " + wrong + ": providers.office.adminConsent.tenant: unknown field",
                        "  - " + wrong + ": providers.office.adminConsent.url: 'http://office.example.com/adminconsent' must be an https URL (plain http only on loopback)"));
    }

    @Test
    void loopbackHttpIsAllowedForLocalProviders() throws IOException {
        ProviderCatalog catalog = loader.load(write("""
                providers:
                  local:
                    displayName: Local
                    authorizeUrl: http://localhost:9000/auth
                    tokenUrl: http://127.0.0.1:9000/token
                    clientId: a
                    clientSecret: b
                    tools:
                      local_tool: {displayName: Local}
                """));
        assertThat(catalog.provider("local").tokenUrl()).isEqualTo("http://127.0.0.1:9000/token");
    }

    @Test
    void unreadableOrMalformedFilesFailWithTheirName() throws IOException {
        Path missing = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> loader.load(missing)).hasMessageContaining("absent.yaml").hasMessageContaining("cannot read");
        Path broken = write("providers: [unclosed");
        assertThatThrownBy(() -> loader.load(broken)).hasMessageContaining("not valid YAML");
        Path empty = write("# nothing yet\n");
        assertThatThrownBy(() -> loader.load(empty)).hasMessageContaining(empty + ": (top level): null found, object expected");
        Path twice = write("providers:\n  a: {}\n  a: {}\n");
        assertThatThrownBy(() -> loader.load(twice)).hasMessageContaining(twice.toString()).hasMessageContaining("not valid YAML")
                .hasMessageContaining("found duplicate key a, line 3");
    }

    @Test
    void everySchemaFieldHasATitleAndADescriptionAndEveryObjectRejectsUnknownKeys() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(Path.of("config/providers.schema.json").toFile());
        schema.get("definitions").fields().forEachRemaining(definition -> {
            if (definition.getValue().has("properties")) {
                assertThat(definition.getValue().get("additionalProperties").asBoolean(true)).as(definition.getKey()).isFalse();
                definition.getValue().get("properties").fields().forEachRemaining(field -> assertThat(
                        field.getValue().has("title") && field.getValue().has("description"))
                        .as(definition.getKey() + "." + field.getKey() + " has a title and a description").isTrue());
            }
        });
        assertThat(fields(schema.at("/definitions/provider/properties"))).contains("errors", "revocation", "identity", "scopeParameter")
                .doesNotContain("dialect", "revocationUrl", "userinfoUrl");
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("providers-" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

}
