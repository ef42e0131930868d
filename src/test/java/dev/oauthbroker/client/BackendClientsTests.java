package dev.oauthbroker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Backend clients scoped to tools, keys rotated without restart, and the RFC 8693 token exchange
 * bound to the user's own session JWT — on the shared context, whose clients file
 * ({@code target/test-clients/clients.yaml}; each test JVM its own, pom.xml) is re-read on every request.
 */
class BackendClientsTests extends BrokerIntegrationTest {

    static final Path FILE = Path.of(System.getProperty("broker.clients.file", "target/test-clients/clients.yaml"));
    static final String JIRA_KEY = ClientKeys.generate();
    static final String NEW_JIRA_KEY = ClientKeys.generate();
    static final String EXCHANGE_KEY = ClientKeys.generate();

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void clients() throws IOException {
        write(Map.of("jira-fetcher", "{tools: [jira], keys: [" + ClientKeys.hash(JIRA_KEY) + "]}",
                "assistant", "{buckets: [atlassian], operations: [exchange], keys: [" + ClientKeys.hash(EXCHANGE_KEY) + "]}"));
        connected("alice", "github", List.of("github"), "at-SECRET-github", null, 3600L);
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-jira", null, 3600L);
    }

    @AfterEach
    void onlyTheServiceKeyAgain() throws IOException {
        Files.deleteIfExists(FILE);
    }

    @Test
    void aClientScopedToJiraGetsJiraAnd403ForGithubWithNoHintWhetherTheUserConnectedIt() {
        HttpResponse<String> jira = token(JIRA_KEY, "alice", "jira");
        assertThat(jira.statusCode()).isEqualTo(200);
        assertThat(json(jira).get("accessToken").asText()).isEqualTo("at-SECRET-jira");

        HttpResponse<String> github = token(JIRA_KEY, "alice", "github");
        HttpResponse<String> githubOfNobody = token(JIRA_KEY, "nobody", "github");
        assertThat(github.statusCode()).isEqualTo(403);
        assertThat(json(github).get("error").asText()).isEqualTo("forbidden_tool");
        assertThat(github.body()).doesNotContain("SECRET").isEqualTo(githubOfNobody.body().replace("nobody", "alice"));
        // the service key stays one client with every tool
        assertThat(token(SERVICE_KEY, "alice", "github").statusCode()).isEqualTo(200);
    }

    @Test
    void rotationWithTwoKeysThenOnlyTheNewOneWithoutRestart() throws IOException {
        write(Map.of("jira-fetcher", "{tools: [jira], keys: [" + ClientKeys.hash(JIRA_KEY) + ", " + ClientKeys.hash(NEW_JIRA_KEY) + "]}"));
        assertThat(token(JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(200);
        assertThat(token(NEW_JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(200);

        write(Map.of("jira-fetcher", "{tools: [jira], keys: [" + ClientKeys.hash(NEW_JIRA_KEY) + "]}"));
        assertThat(token(JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(401);
        assertThat(token(NEW_JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientsFileThatBecameInvalidIsRefusedAndTheClientsInForceStay() throws IOException {
        assertThat(token(JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(200);
        Files.writeString(FILE, "clients:\n  jira-fetcher: {tools: [jria], keys: [" + ClientKeys.hash(NEW_JIRA_KEY) + "]}\n");

        assertThat(token(JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(200);
        assertThat(token(NEW_JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(401);
    }

    @Test
    void anExchangeOnlyClientsKeyAloneGetsNothingFromInternal() {
        HttpResponse<String> internal = token(EXCHANGE_KEY, "alice", "jira");

        assertThat(internal.statusCode()).isEqualTo(403);
        assertThat(json(internal).get("error").asText()).isEqualTo("forbidden_operation");
        assertThat(internal.body()).doesNotContain("SECRET");
    }

    @Test
    void theUsersOwnJwtIsExchangedForTheirToolsTokenAsRfc8693Says() {
        HttpResponse<String> answer = exchange(basic("assistant", EXCHANGE_KEY), TestUsers.jwt("alice"), Map.of("resource", "jira"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = json(answer);
        assertThat(body.get("access_token").asText()).isEqualTo("at-SECRET-jira");
        assertThat(body.get("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isBetween(3000L, 3600L);
        assertThat(body.get("scope").asText()).isEqualTo(jdbc.queryForObject(
                "select scopes from grants where user_id = 'alice' and provider = 'atlassian'", String.class)).contains("offline_access");
        // the subject token is never echoed back (platform-http copies request headers into answers)
        assertThat(answer.headers().map().toString()).doesNotContain("subject_token").doesNotContain(TestUsers.jwt("alice").substring(0, 20));
        // the second exchange is answered from this instance's memory (docs/token-lifecycle.md "Token cache"), in the same shape
        HttpResponse<String> again = exchange(basic("assistant", EXCHANGE_KEY), TestUsers.jwt("alice"), Map.of("resource", "jira"));
        assertThat(json(again).get("access_token").asText()).isEqualTo("at-SECRET-jira");
        assertThat(json(again).get("scope").asText()).isEqualTo(body.get("scope").asText());
        // X-Broker-Key authenticates the exchange too, audience names the tool as well as resource does
        assertThat(exchange(Map.of("X-Broker-Key", EXCHANGE_KEY), TestUsers.jwt("alice"), Map.of("audience", "confluence")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anotherUsersExpiredForgedOrUnsignedJwtIsInvalidGrantAndNeverAlicesToken() {
        Map<String, String> client = basic("assistant", EXCHANGE_KEY);
        String unsigned = base64("{\"alg\":\"none\"}") + "." + base64("{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}") + ".";
        Map<String, String> subjects = new LinkedHashMap<>();
        subjects.put("bob's own JWT (bob connected nothing)", TestUsers.jwt("bob"));
        subjects.put("expired", TestUsers.jwt("alice", Instant.now().minusSeconds(60), TestUsers.SECRET, JWSAlgorithm.HS256));
        subjects.put("signed with another secret", TestUsers.jwt("alice", Instant.now().plusSeconds(600),
                "another-secret-that-is-long-enough-for-hs256!", JWSAlgorithm.HS256));
        subjects.put("alg none", unsigned);
        subjects.put("not a JWT", "alice");
        subjects.forEach((what, jwt) -> {
            HttpResponse<String> answer = exchange(client, jwt, Map.of("resource", "jira"));
            assertThat(answer.statusCode()).as(what).isEqualTo(400);
            assertThat(json(answer).get("error").asText()).as(what).isEqualTo("invalid_grant");
            assertThat(answer.body()).as(what).doesNotContain("SECRET");
        });
        assertThat(json(exchange(client, TestUsers.jwt("bob"), Map.of("resource", "jira"))).get("broker_error").asText()).isEqualTo("not_connected");
    }

    @Test
    void anUnknownToolOrOneTheClientMayNotObtainIsInvalidTarget() {
        Map<String, String> client = basic("assistant", EXCHANGE_KEY);
        for (String tool : List.of("github", "nope", "")) {
            HttpResponse<String> answer = exchange(client, TestUsers.jwt("alice"), Map.of("resource", tool));
            assertThat(answer.statusCode()).as(tool).isEqualTo(400);
            assertThat(json(answer).get("error").asText()).as(tool).isEqualTo("invalid_target");
            assertThat(answer.body()).doesNotContain("SECRET");
        }
    }

    @Test
    void theExchangeRefusesWrongRequestsAndWrongClientsInRfc6749Terms() {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials", "subject_token", TestUsers.jwt("alice"),
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt", "resource", "jira"));
        HttpResponse<String> grantType = post(basic("assistant", EXCHANGE_KEY), form);
        assertThat(grantType.statusCode()).isEqualTo(400);
        assertThat(json(grantType).get("error").asText()).isEqualTo("unsupported_grant_type");

        HttpResponse<String> wrongKey = exchange(basic("assistant", JIRA_KEY), TestUsers.jwt("alice"), Map.of("resource", "jira"));
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(json(wrongKey).get("error").asText()).isEqualTo("invalid_client");
        assertThat(wrongKey.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

        HttpResponse<String> notAllowed = exchange(basic("jira-fetcher", JIRA_KEY), TestUsers.jwt("alice"), Map.of("resource", "jira"));
        assertThat(notAllowed.statusCode()).isEqualTo(400);
        assertThat(json(notAllowed).get("error").asText()).isEqualTo("unauthorized_client");

        HttpResponse<String> badEscape = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/oauth/token"))
                .header("Authorization", basic("assistant", EXCHANGE_KEY).get("Authorization"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=%zz")).build());
        assertThat(badEscape.statusCode()).isEqualTo(400);

        HttpResponse<String> tooLarge = exchange(basic("assistant", EXCHANGE_KEY), "x".repeat(70_000), Map.of("resource", "jira"));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).get("error").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void everyHandoutIsCountedByClientAndToolAndTheLastFetchIsKept() {
        // users of this test only: a fetch of an earlier test may still be written after the base class truncated the table
        connected("carol", "atlassian", List.of("jira", "confluence"), "at-SECRET-carol", null, 3600L);
        double before = handouts("jira-fetcher", "jira", "ok");
        token(JIRA_KEY, "carol", "jira");
        token(JIRA_KEY, "dave", "jira");
        exchange(basic("assistant", EXCHANGE_KEY), TestUsers.jwt("carol"), Map.of("resource", "confluence"));

        assertThat(handouts("jira-fetcher", "jira", "ok") - before).isEqualTo(1.0);
        assertThat(meters.find("broker.token.handouts").tag("client", "jira-fetcher").tag("outcome", "not_connected").counter()).isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select client_id || ' ' || user_id || ' ' || tool || ' ' || outcome from client_fetches"
                        + " where user_id in ('carol', 'dave') order by 1", String.class))
                .containsExactly("assistant carol confluence ok", "jira-fetcher carol jira ok", "jira-fetcher dave jira not_connected"));
    }

    @Test
    void repeatedWrongKeysFromOneAddressGet429WithRetryAfterWhileOthersAreServed() throws IOException {
        InetAddress guesser = InetAddress.getByName("127.0.0.2");
        int status = 0;
        for (int i = 0; i < 200; i++) {
            status = rawGet(guesser, "/internal/users/alice/tokens/jira", "X-Broker-Key: guess-" + i);
            assertThat(status).as("attempt %d", i).isEqualTo(401);
        }
        assertThat(rawGet(guesser, "/internal/users/alice/tokens/jira", "X-Broker-Key: " + JIRA_KEY)).isEqualTo(429);
        assertThat(token(JIRA_KEY, "alice", "jira").statusCode()).isEqualTo(200);
        assertThat(meters.find("broker.client.auth.failures").tag("client", "unknown").counter().count()).isGreaterThanOrEqualTo(200);
    }

    private double handouts(String client, String tool, String outcome) {
        var counter = meters.find("broker.token.handouts").tag("client", client).tag("tool", tool).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private int rawGet(InetAddress from, String path, String header) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (response.startsWith("HTTP/1.1 429")) {
                assertThat(response).containsPattern("(?i)retry-after: \\d+");
            }
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    private HttpResponse<String> token(String key, String user, String tool) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/internal/users/" + user + "/tokens/" + tool))
                .header("X-Broker-Key", key).GET().build());
    }

    private HttpResponse<String> exchange(Map<String, String> headers, String subjectToken, Map<String, String> target) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
        form.putAll(target);
        return post(headers, form);
    }

    private HttpResponse<String> post(Map<String, String> headers, Map<String, String> form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"))));
        headers.forEach(request::header);
        return send(request.build());
    }

    private static Map<String, String> basic(String client, String key) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + key).getBytes(StandardCharsets.UTF_8)));
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Map<String, String> clients) throws IOException {
        Files.createDirectories(FILE.getParent());
        StringBuilder text = new StringBuilder("clients:\n");
        clients.forEach((id, entry) -> text.append("  ").append(id).append(": ").append(entry).append('\n'));
        Files.writeString(FILE, text.toString());
    }
}
