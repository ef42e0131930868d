package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An integrator's edit of {@code routes/} cannot open the API: a copy of the folder with every
 * step that mentions authentication stripped out runs as a second broker on the shared database,
 * and it still refuses unauthenticated calls and keeps each user to their own grants.
 */
@Tag("extra-contexts")
class RouteEditCannotOpenTheApiTests extends BrokerIntegrationTest {

    /** Any step naming these is an authentication step. */
    private static final Pattern AUTHENTICATION = Pattern.compile("authenticat|servicekey|userauthentication|x-broker-key");
    private static final Pattern LIST_ITEM = Pattern.compile("^(\\s*)- ");

    @TempDir
    static Path strippedRoutes;

    private static BrokerInstance edited;
    private static String editedUrl;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void startTheBrokerOnTheStrippedRoutes() throws IOException {
        if (edited != null) {
            return;
        }
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                // the HTTP contract has no steps: its security schemes only describe the API (OpenAPI)
                String text = Files.readString(file);
                String stripped = file.endsWith("rest-api.camel.yaml") ? text : withoutAuthenticationSteps(text);
                assertThat(stripped.toLowerCase(Locale.ROOT)).as(file.toString()).doesNotContain("ref: userauthentication", "ref: servicekeycheck");
                Files.writeString(strippedRoutes.resolve(file.getFileName()), stripped);
            }
        }
        edited = BrokerInstances.onSharedDatabase(dataSource).routes(strippedRoutes).start();
        editedUrl = edited.baseUrl();
    }

    @AfterAll
    static void stopTheEditedBroker() {
        if (edited != null) {
            edited.close();
            edited = null;
        }
    }

    @Test
    void theStripperRemovesEveryShapeOfAnAuthenticationStepAndNothingElse() {
        String route = """
                - route:
                    id: integrations-list
                    from:
                      uri: direct:integrations-list
                      steps:
                        - bean:
                            ref: userAuthentication
                            method: authenticate
                        - bean: {ref: serviceKeyCheck, method: check}
                        - process:
                            ref: "#bean:userAuthentication?method=authenticate"
                        - bean:
                            ref: integrationViews
                            method: forUser
                """;
        assertThat(withoutAuthenticationSteps(route)).isEqualTo("""
                - route:
                    id: integrations-list
                    from:
                      uri: direct:integrations-list
                      steps:
                        - bean:
                            ref: integrationViews
                            method: forUser
                """);
    }

    @Test
    void withoutAnyTokenOrWithAForeignOneEveryUserEndpointIs401() {
        String wrongKey = TestUsers.jwt("alice", Instant.now().plusSeconds(600), "another-secret-that-is-long-enough-32b", JWSAlgorithm.HS256);
        String expired = TestUsers.jwt("alice", Instant.now().minusSeconds(120), TestUsers.SECRET, JWSAlgorithm.HS256);
        List<String[]> endpoints = new ArrayList<>(UserAuthenticationTests.USER_ENDPOINTS);
        endpoints.add(new String[] {"POST", "/api/integrations/complete"});
        endpoints.add(new String[] {"GET", "/api/nope"});
        for (String[] endpoint : endpoints) {
            for (String jwt : new String[] {null, wrongKey, expired, "not-a-jwt"}) {
                HttpResponse<String> response = sendTo(endpoint[0], endpoint[1], jwt, null);
                assertThat(response.statusCode()).as(endpoint[0] + " " + endpoint[1] + " with " + jwt).isEqualTo(401);
                assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).isZero();
        assertThat(providers.getAllServeEvents()).isEmpty();
    }

    @Test
    void aUserListsValidatesAndDisconnectsOnlyTheirOwnGrantsWhateverHeaderTheySend() {
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        String bob = TestUsers.jwt("bob");

        HttpResponse<String> list = sendTo("GET", "/api/integrations", bob, "alice");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(find(json(list).get("integrations"), "jira").get("isConnected").asBoolean()).isFalse();
        HttpResponse<String> validate = sendTo("POST", "/api/integrations/validate", bob, "alice");
        assertThat(validate.statusCode()).isEqualTo(200);
        assertThat(json(validate).get("results")).isEmpty();
        HttpResponse<String> delete = sendTo("DELETE", "/api/integrations/jira", bob, "alice");
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(json(delete).get("error").asText()).isEqualTo("not_connected");
        assertThat(sendTo("DELETE", "/api/buckets/atlassian", bob, "alice").statusCode()).isEqualTo(404);
        assertThat(sendTo("GET", "/api/integrations", null, "alice").statusCode()).as("a userId header is no credential").isEqualTo(401);

        assertThat(jdbc.queryForObject("select count(*) from grant_tools where detached_at is null", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from grants where user_id = 'alice' and status = 'active' and deleted_at is null", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from grant_events where event <> 'connected'", Integer.class)).isZero();
        assertThat(providers.getAllServeEvents()).isEmpty();
        HttpResponse<String> alices = sendTo("GET", "/api/integrations", TestUsers.jwt("alice"), null);
        assertThat(find(json(alices).get("integrations"), "jira").get("isConnected").asBoolean())
                .as("the edited broker serves its own user").isTrue();
    }

    @Test
    void theInternalEndpointStillNeedsTheServiceKey() {
        connected("alice", "github", List.of("github"), "at-SECRET-g", null, null);
        for (String key : new String[] {null, "wrong-key-wrong-key", SERVICE_KEY + "x", ""}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(editedUrl + "/internal/users/alice/tokens/github"))
                    .timeout(Duration.ofSeconds(30));
            if (key != null) {
                request.header("X-Broker-Key", key);
            }
            HttpResponse<String> response = send(request.GET().build());
            assertThat(response.statusCode()).as("X-Broker-Key: %s", key).isEqualTo(401);
            assertThat(response.body()).doesNotContain("SECRET");
        }
        HttpResponse<String> keyed = send(HttpRequest.newBuilder(URI.create(editedUrl + "/internal/users/alice/tokens/github"))
                .header("X-Broker-Key", SERVICE_KEY).timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(keyed.statusCode()).isEqualTo(200);
        assertThat(json(keyed).get("accessToken").asText()).isEqualTo("at-SECRET-g");
    }

    private HttpResponse<String> sendTo(String method, String path, String jwt, String userIdHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(editedUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        if (userIdHeader != null) {
            request.header("userId", userIdHeader);
        }
        return send(request.build());
    }

    /**
     * The YAML without every list item (a route step) that mentions authentication: the innermost
     * item around each mention, whatever its shape (block, flow mapping, endpoint URI). Comments stay.
     */
    static String withoutAuthenticationSteps(String yaml) {
        List<String> lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("#") || !AUTHENTICATION.matcher(line.toLowerCase(Locale.ROOT)).find()) {
                continue;
            }
            int item = i;
            while (item >= 0 && !(LIST_ITEM.matcher(lines.get(item)).find() && indent(lines.get(item)) <= indent(line))) {
                item--;
            }
            if (item < 0) {
                continue;
            }
            int end = item + 1;
            while (end < lines.size() && (lines.get(end).isBlank() || indent(lines.get(end)) > indent(lines.get(item)))) {
                end++;
            }
            while (end > item + 1 && lines.get(end - 1).isBlank()) {
                end--;
            }
            lines.subList(item, end).clear();
            i = item - 1;
        }
        return String.join("\n", lines);
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }
}
