package dev.oauthbroker;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A provider added with catalogue data only — no Java: its dead-grant answer is HTTP 200
 * {@code {"ok":false,"error":"token_revoked"}} and its revocation a POST with the token in a JSON
 * body. The service is started on a copy of the test catalogue holding that entry
 * ({@code broker.providers-file}), with WireMock as the provider, and runs connect, refresh, dead
 * grant and disconnect against it.
 */
@Tag("extra-contexts")
@ResourceLock(TestJvm.LOCK)
class CatalogueOnlyProviderTests {

    private static final String CHATLY = """
              chatly:
                displayName: Chatly
                authorizeUrl: ${wiremock.base}/chatly/authorize
                tokenUrl: ${wiremock.base}/chatly/token
                clientId: chatly-client-id
                clientSecret: chatly-client-secret-value
                clientAuth: client_secret_basic
                pkce: false
                scopeDelimiter: ","
                refreshTokenRotation: true
                errors: {okField: ok, deadGrantCodes: [token_revoked]}
                revocation:
                  url: ${wiremock.base}/chatly/revoke
                  auth: client_secret_basic
                  body: json
                  tokens: [access_token]
                  tokenTypeHint: false
                  okField: ok
                tools:
                  chatly: {displayName: Chatly, scopes: [messages:read, channels:read]}
            """;

    private static final WireMockServer providers = TestProviders.server();
    private static BrokerInstance broker;
    private static String baseUrl;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startOnACopyOfTheCatalogueWithChatly() throws IOException {
        String catalogue = Files.readString(Path.of("src/test/resources/providers-test.yaml"));
        Path copy = Files.createTempFile("providers-chatly", ".yaml");
        Files.writeString(copy, catalogue.replace("\nbuckets:\n", "\n" + CHATLY.stripTrailing() + "\nbuckets:\n"));
        broker = BrokerInstances.onOwnDatabase().catalogue(copy)
                // a cold instance on a busy machine: its first provider calls must not time out
                .with("broker.http.read-timeout", "10000").start();
        baseUrl = broker.baseUrl();
        jdbc = broker.bean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        BrokerIntegrationTest.noSecretWasLogged();
    }

    @BeforeEach
    void resetProvider() {
        providers.resetAll();
        providers.stubFor(post(urlPathEqualTo("/chatly/token")).withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson("{\"ok\":true,\"access_token\":\"at-SECRET-1\",\"refresh_token\":\"rt-SECRET-1\",\"expires_in\":3600,"
                        + "\"scope\":\"messages:read,channels:read\"}")));
    }

    @Test
    void connectRefreshAndDisconnectFollowTheCatalogue() {
        JsonNode connected = connect("alice");
        assertThat(connected.get("success").asBoolean()).as(connected.toString()).isTrue();
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/chatly/token"))
                .withBasicAuth(new BasicCredentials("chatly-client-id", "chatly-client-secret-value"))
                .withRequestBody(containing("code=the-code")));

        providers.stubFor(post(urlPathEqualTo("/chatly/token")).withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(okJson("{\"ok\":true,\"access_token\":\"at-SECRET-2\",\"refresh_token\":\"rt-SECRET-2\",\"expires_in\":3600}")));
        HttpResponse<String> refreshed = internalToken("alice", true);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(BrokerIntegrationTest.json(refreshed).get("accessToken").asText()).isEqualTo("at-SECRET-2");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/chatly/token")).withRequestBody(containing("refresh_token=rt-SECRET-1")));

        providers.stubFor(post(urlPathEqualTo("/chatly/revoke")).willReturn(okJson("{\"ok\":true}")));
        HttpResponse<String> disconnected = call("DELETE", "/api/integrations/chatly", TestUsers.jwt("alice"));
        assertThat(disconnected.statusCode()).as(disconnected.body()).isEqualTo(200);
        assertThat(BrokerIntegrationTest.json(disconnected).get("revocation").asText()).isEqualTo("revoked");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/chatly/revoke"))
                .withBasicAuth(new BasicCredentials("chatly-client-id", "chatly-client-secret-value"))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("{\"token\":\"at-SECRET-2\"}")));
        assertThat(jdbc.queryForObject("select status from grants where user_id = 'alice'", String.class)).isEqualTo("disconnected");
    }

    @Test
    void okFalseTokenRevokedWithHttp200IsADeadGrant() {
        connect("bob");
        providers.stubFor(post(urlPathEqualTo("/chatly/token")).withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"token_revoked\"}")));

        HttpResponse<String> response = internalToken("bob", true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(BrokerIntegrationTest.json(response).get("error").asText()).isEqualTo("reauth_required");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/chatly/token")).withRequestBody(containing("grant_type=refresh_token")));
        Map<String, Object> grant = jdbc.queryForMap("select status, last_error from grants where user_id = 'bob'");
        assertThat(grant).containsEntry("status", "reauth_required").containsEntry("last_error", "token_revoked");
        assertThat(internalToken("bob", false).statusCode()).as("stays 409 without asking the provider again").isEqualTo(409);
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo("/chatly/token")));
    }

    /** authorize → provider consent (skipped: WireMock) → callback → complete; the completion's answer. */
    private static JsonNode connect(String user) {
        String jwt = TestUsers.jwt(user);
        HttpResponse<String> authorize = call("POST", "/api/integrations/chatly/authorize", jwt);
        assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(200);
        var authUrl = UriComponentsBuilder.fromUriString(BrokerIntegrationTest.json(authorize).get("authUrl").asText()).build();
        assertThat(authUrl.getPath()).isEqualTo("/chatly/authorize");
        assertThat(authUrl.getQueryParams().getFirst("scope")).as("scopeDelimiter").isEqualTo("messages:read,channels:read");
        assertThat(authUrl.getQueryParams()).as("pkce: false").doesNotContainKey("code_challenge");

        HttpResponse<String> callback = call("GET", "/oauth/callback?code=the-code&state=" + authUrl.getQueryParams().getFirst("state"), null);
        assertThat(callback.statusCode()).isEqualTo(302);
        String pending = UriComponentsBuilder.fromUriString(callback.headers().firstValue("Location").orElseThrow()).build()
                .getQueryParams().getFirst("pending");

        HttpResponse<String> complete = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/integrations/complete"))
                .header("Authorization", "Bearer " + jwt).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pending\":\"" + pending + "\"}")));
        assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
        return BrokerIntegrationTest.json(complete);
    }

    private static HttpResponse<String> internalToken(String user, boolean force) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/internal/users/" + user + "/tokens/chatly" + (force ? "?forceRefresh=true" : "")))
                .header("X-Broker-Key", BrokerIntegrationTest.SERVICE_KEY).GET());
    }

    private static HttpResponse<String> call(String method, String path, String jwt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, HttpRequest.BodyPublishers.noBody());
        return send(jwt == null ? request : request.header("Authorization", "Bearer " + jwt));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return BrokerIntegrationTest.send(request.timeout(Duration.ofSeconds(30)).build());
    }
}
