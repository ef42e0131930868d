package dev.oauthbroker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.oauthbroker.cache.GrantChangeListener;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.resilience.ProviderGuards;
import dev.oauthbroker.grant.TokenSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the flow tests: the real application on a random port with {@code routes/} loaded, a
 * real (embedded) PostgreSQL, and every provider pointed at one WireMock server. All subclasses
 * share one Spring context (Spring's context cache): do not add configuration in subclasses.
 * After each class, no log line of the run may contain token material (every test token
 * contains {@code SECRET}) or a client secret.
 */
@CamelSpringBootTest
@SpringBootTest(classes = OAuthBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@Tag("shared-context")
@ResourceLock(TestJvm.LOCK)
public abstract class BrokerIntegrationTest {

    protected static final WireMockServer providers = TestProviders.server();
    protected static final ObjectMapper JSON = new ObjectMapper();
    public static final String SERVICE_KEY = "test-service-key-0123456789";
    /** Every test token contains SECRET; an environment variable name such as GITLAB_CLIENT_SECRET is not a token. */
    private static final java.util.regex.Pattern TOKEN_MARKER = java.util.regex.Pattern.compile("(?<![A-Z]_)SECRET");
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected JdbcGrantStore grantStore;

    @Autowired
    protected ProviderGuards providerGuards;

    @Autowired
    protected ProviderCatalog catalog;

    @Autowired
    protected GrantChangeListener grantChanges;

    /** Chosen before the context starts, so the redirect URI and the frontend are this very server. */
    private static final int PORT = BrokerInstances.freePort();

    @DynamicPropertySource
    static void providerUrls(DynamicPropertyRegistry registry) {
        registry.add("wiremock.base", providers::baseUrl);
        registry.add("server.port", () -> PORT);
        registry.add("broker.public-base-url", () -> "http://localhost:" + PORT);
    }

    @BeforeEach
    void resetWorld() {
        providers.resetAll();
        jdbc.execute("truncate grant_events, grant_tools, grants, oauth_states, sweep_runs, client_fetches");
        // every breaker closed: a breaker one test opened never leaks into the next
        providerGuards.reset();
        jdbc.execute("truncate provider_health");
    }

    @AfterAll
    static void noSecretWasLogged() {
        assertThat(LogCapture.serviceLines())
                .as("log lines holding token material or client secrets")
                .noneMatch(line -> TOKEN_MARKER.matcher(line).find() || line.contains("client-secret-value"));
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    protected HttpResponse<String> call(String method, String path, String jwt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        return send(request.build());
    }

    /** A JSON body sent with the user's JWT (none when null). */
    protected HttpResponse<String> callWithJson(String method, String path, String jwt, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30));
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        return send(request.build());
    }

    /** {@code POST /api/integrations/complete} for the pending id a callback handed out. */
    protected HttpResponse<String> complete(String pending, String jwt) {
        return callWithJson("POST", "/api/integrations/complete", jwt, "{\"pending\":\"" + pending + "\"}");
    }

    protected HttpResponse<String> internalToken(String userId, String tool, boolean force) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/internal/users/" + userId + "/tokens/" + tool
                        + (force ? "?forceRefresh=true" : "")))
                .header("X-Broker-Key", SERVICE_KEY).GET().timeout(Duration.ofSeconds(30)).build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** The entry of {@code tool} in an answer's list ({@code integrations}, {@code results}). */
    protected static JsonNode find(JsonNode array, String tool) {
        for (JsonNode node : array) {
            if (node.get("toolType").asText().equals(tool)) {
                return node;
            }
        }
        throw new AssertionError("no " + tool + " in " + array);
    }

    /** Stubs {@code POST /<provider>/token} (or another path) with a canned reply file. */
    protected static void stubToken(String path, int status, String file) {
        providers.stubFor(post(urlPathEqualTo(path)).willReturn(canned(status, file)));
    }

    protected static ResponseDefinitionBuilder canned(int status, String file) {
        String type = file.endsWith(".json") ? "application/json" : file.endsWith(".html") ? "text/html"
                : "application/x-www-form-urlencoded";
        return aResponse().withStatus(status).withHeader("Content-Type", type).withBodyFile(file);
    }

    /** A stored grant, as a completed consent would leave it: granted every scope it asked for (its provider's and tools'). */
    protected Grant connected(String userId, String provider, List<String> tools, String accessToken, String refreshToken, Long expiresIn) {
        Long lifetime = expiresIn == null ? null : Math.max(expiresIn, 1L);
        List<String> scopes = java.util.stream.Stream.concat(catalog.provider(provider).scopes().stream(),
                tools.stream().flatMap(t -> catalog.tool(t).orElseThrow().scopes().stream())).distinct().toList();
        Grant grant = grantStore.connect(userId, provider, tools, new TokenSet(accessToken, refreshToken, "Bearer", lifetime, scopes)).grant();
        if (expiresIn != null && expiresIn <= 0) {
            expiresIn(grant, expiresIn);
            return grantStore.find(grant.id()).orElseThrow();
        }
        return grant;
    }

    /**
     * Makes a grant's stored access token undecryptable, as if the key it was written under had
     * been dropped too early: the key id inside the ciphertext is changed to one no key has.
     */
    protected void dropKeyOf(Grant grant) {
        jdbc.update("update grants set access_token = set_byte(access_token, 2, get_byte(access_token, 2) # 1) where id = ?", grant.id());
        grantChangesDelivered(grantChanges);
    }

    /**
     * Waits until the change just committed by hand (not through the grant store, which evicts its
     * own writes at once) has reached {@code listener}'s token cache: a barrier notification is sent
     * after it, and PostgreSQL delivers notifications in commit order.
     */
    protected void grantChangesDelivered(GrantChangeListener listener) {
        long before = listener.notificationsReceived();
        jdbc.execute("select pg_notify('" + GrantChangeListener.CHANNEL + "', '')");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> listener.notificationsReceived() > before);
    }

    /**
     * Moves a grant's expiry (seconds from now; negative = already expired) without touching its
     * tokens, as if its access token had been issued for one hour.
     */
    protected void expiresIn(Grant grant, long seconds) {
        jdbc.update("""
                update grants set expires_at = now() + make_interval(secs => ?),
                       connected_at = now() + make_interval(secs => ?) - interval '1 hour', last_refreshed_at = null
                where id = ?""", (double) seconds, (double) seconds, grant.id());
        grantChangesDelivered(grantChanges);
    }
}
