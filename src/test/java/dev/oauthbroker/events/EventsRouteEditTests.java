package dev.oauthbroker.events;

import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.RouteFolder;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.oauthbroker.TestProviders;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.ProducerTemplate;
import dev.oauthbroker.TestJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The edits of docs/operations.md "Connection events", made as an integrator makes them: its YAML
 * block applied to a copy of {@code routes/} (only {@code events.camel.yaml} changes), the service
 * started on that copy with its own PostgreSQL, and what reaches the URL counted at WireMock.
 */
@Tag("extra-contexts")
@ResourceLock(TestJvm.LOCK)
class EventsRouteEditTests {

    private static final WireMockServer wiremock = TestProviders.server();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] WEBHOOK_KEY = "test-webhook-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(WEBHOOK_KEY);
    private static final String README_URL = "https://hooks.example.com/oauth-broker";

    @TempDir
    Path work;

    private BrokerInstance instance;

    @BeforeEach
    void resetProviders() {
        wiremock.resetAll();
    }

    @AfterEach
    void stopInstance() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void aStepPostingReauthRequiredEventsPostsOncePerDeadGrantFromRefreshValidateAndSweepAndNeverOnALostRace() throws Exception {
        Path routes = routesCopy(readme -> {
            String events = readme.events();
            String step = readme.block("reauth-required-post").replace(README_URL, wiremock.baseUrl() + "/hooks/reauth");
            return events + step;
        });
        wiremock.stubFor(post(urlPathEqualTo("/hooks/reauth")).willReturn(aResponse().withStatus(204)));
        wiremock.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}")));
        wiremock.stubFor(get(urlPathEqualTo("/acme/userinfo")).withHeader("Authorization", containing("dead"))
                .willReturn(aResponse().withStatus(401)));
        wiremock.stubFor(post(urlPathEqualTo("/acme/token")).withRequestBody(containing("dead")).willReturn(invalidGrant()));
        wiremock.stubFor(post(urlPathEqualTo("/acme/token")).withRequestBody(containing("race"))
                .willReturn(invalidGrant().withFixedDelay(700)));
        start(routes, work.resolve("pg"));
        JdbcGrantStore grants = instance.bean(JdbcGrantStore.class);

        // a refresh finds the grant dead
        Grant byRefresh = connect(grants, "u-refresh", "acme-SECRET-at-1", "acme-SECRET-rt-dead-1");
        expire(byRefresh);
        assertThat(internalToken("u-refresh").statusCode()).isEqualTo(409);
        // the user's validate finds it dead
        Grant byValidate = connect(grants, "u-validate", "acme-SECRET-at-dead-2", "acme-SECRET-rt-dead-2");
        assertThat(send(HttpRequest.newBuilder(uri("/api/integrations/validate")).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + TestUsers.jwt("u-validate")).build()).body()).contains("reauth_required");
        // the sweep finds it dead (and meets the two dead ones again)
        Grant bySweep = connect(grants, "u-sweep", "acme-SECRET-at-dead-3", "acme-SECRET-rt-dead-3");
        connect(grants, "u-fine", "acme-SECRET-at-4", "acme-SECRET-rt-4");
        instance.bean(ProducerTemplate.class).request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true));
        // a lost race: another instance rotates the token while our refresh is at the provider
        Grant raced = connect(grants, "u-race", "acme-SECRET-at-5", "acme-SECRET-rt-race-5");
        expire(raced);
        Thread peer = new Thread(() -> {
            await().until(() -> !wiremock.findAll(postRequestedFor(urlPathEqualTo("/acme/token")).withRequestBody(containing("race"))).isEmpty());
            grants.saveRefreshed(raced, new TokenSet("acme-SECRET-peer", "acme-SECRET-peer-rt", "Bearer", 3600L, List.of()));
        });
        peer.start();
        HttpResponse<String> racing = internalToken("u-race");
        peer.join();
        assertThat(racing.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(racing.body()).get("accessToken").asText()).as("the winner's token").isEqualTo("acme-SECRET-peer");
        assertThat(wiremock.findAll(postRequestedFor(urlPathEqualTo("/acme/token")).withRequestBody(containing("race")))).hasSize(1);

        awaitAllDelivered();
        List<LoggedRequest> posts = wiremock.findAll(postRequestedFor(urlPathEqualTo("/hooks/reauth")));
        assertThat(posts).extracting(request -> JSON.readTree(request.getBodyAsString()).get("grantId").asText())
                .containsExactlyInAnyOrder(byRefresh.id().toString(), byValidate.id().toString(), bySweep.id().toString());
        assertThat(posts).allSatisfy(request -> {
            JsonNode event = JSON.readTree(request.getBodyAsString());
            assertThat(event.get("event").asText()).isEqualTo("reauth_required");
            assertThat(event.get("status").asText()).isEqualTo("reauth_required");
            assertThat(request.getBodyAsString()).doesNotContain("SECRET");
        });
    }

    @Test
    void theSignedWebhookEditRetriesAFailingUrlHoldsBackTheGrantsLaterEventsAndDeliversThemInOrderAfterARestart() throws Exception {
        Path routes = routesCopy(readme -> readme.events().substring(0, readme.events().indexOf("# Where each event goes"))
                + readme.block("signed-webhook").replace(README_URL, wiremock.baseUrl() + "/hooks/signed"));
        Path database = work.resolve("pg");
        wiremock.stubFor(post(urlPathEqualTo("/hooks/signed")).willReturn(aResponse().withStatus(503)));
        start(routes, database);
        JdbcGrantStore grants = instance.bean(JdbcGrantStore.class);
        Grant grant = connect(grants, "u1", "acme-SECRET-at-1", "acme-SECRET-rt-1");
        grants.saveRefreshed(grant, new TokenSet("acme-SECRET-at-2", "acme-SECRET-rt-2", "Bearer", 3600L, List.of()));
        List<Long> ids = jdbc().queryForList("select id from grant_events where grant_id = ? order by id", Long.class, grant.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> wiremock.findAll(postRequestedFor(urlPathEqualTo("/hooks/signed"))).size() >= 3);
        instance.close();
        instance = null;
        assertThat(wiremock.findAll(postRequestedFor(urlPathEqualTo("/hooks/signed"))))
                .as("the grant's later event waits while its first fails").extracting(request -> request.getHeader("webhook-id"))
                .containsOnly(ids.get(0).toString());
        wiremock.resetAll();
        wiremock.stubFor(post(urlPathEqualTo("/hooks/signed")).willReturn(aResponse().withStatus(204)));

        start(routes, database);
        awaitAllDelivered();

        List<LoggedRequest> posts = wiremock.findAll(postRequestedFor(urlPathEqualTo("/hooks/signed")));
        assertThat(posts).extracting(request -> request.getHeader("webhook-id")).containsExactly(ids.get(0).toString(), ids.get(1).toString());
        assertThat(posts).extracting(request -> JSON.readTree(request.getBodyAsString()).get("event").asText())
                .containsExactly("connected", "refreshed");
        for (LoggedRequest request : posts) {
            long timestamp = Long.parseLong(request.getHeader("webhook-timestamp"));
            assertThat(timestamp).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());
            assertThat(request.getHeader("webhook-signature"))
                    .isEqualTo(signature(request.getHeader("webhook-id") + "." + timestamp + "." + request.getBodyAsString()));
            assertThat(request.getHeader("Content-Type")).startsWith("application/json");
            assertThat(request.getBodyAsString()).doesNotContain("SECRET");
            assertThat(request.getAllHeaderKeys()).doesNotContain("CamelSqlRowCount").noneMatch(name -> name.startsWith("Camel"));
        }
        assertThat(jdbc().queryForObject("select attempts from grant_events where id = ?", Integer.class, ids.get(0))).isGreaterThanOrEqualTo(4);
    }

    /** HMAC-SHA256 as a Standard Webhooks receiver computes it, independently of WebhookSignature. */
    private static String signature(String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_KEY, "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private void start(Path routes, Path database) {
        instance = BrokerInstances.inDataFolder(database).routes(routes).with("broker.events.webhook-secret", WEBHOOK_SECRET).start();
    }

    private JdbcTemplate jdbc() {
        return instance.bean(JdbcTemplate.class);
    }

    private void awaitAllDelivered() {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> jdbc().queryForObject("select count(*) from grant_events where delivered_at is null", Integer.class) == 0);
    }

    private static Grant connect(JdbcGrantStore grants, String user, String accessToken, String refreshToken) {
        return grants.connect(user, "acme", List.of("acme_wiki"), new TokenSet(accessToken, refreshToken, "Bearer", 3600L, List.of())).grant();
    }

    private void expire(Grant grant) {
        jdbc().update("update grants set expires_at = now() - interval '10 seconds' where id = ?", grant.id());
    }

    private HttpResponse<String> internalToken(String user) {
        return send(HttpRequest.newBuilder(uri("/internal/users/" + user + "/tokens/acme_wiki"))
                .header("X-Broker-Key", "test-service-key-0123456789").GET().build());
    }

    private URI uri(String path) {
        return URI.create(instance.baseUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return BrokerIntegrationTest.send(request);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder invalidGrant() {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}");
    }

    /** A copy of routes/ whose events.camel.yaml is what {@code edit} makes of the original and docs/operations.md. */
    private Path routesCopy(java.util.function.Function<Readme, String> edit) throws IOException {
        Path copy = Files.createDirectories(work.resolve("routes"));
        RouteFolder.copyTo(copy);
        Readme readme = new Readme(Files.readString(Path.of("docs/operations.md")), Files.readString(Path.of("routes/events.camel.yaml")));
        Files.writeString(copy.resolve("events.camel.yaml"), edit.apply(readme));
        return copy;
    }

    /** The YAML blocks of docs/operations.md marked {@code <!-- events-edit: NAME ... -->}, and the shipped events route. */
    private record Readme(String text, String events) {
        String block(String name) {
            Matcher block = Pattern.compile("<!-- events-edit: " + Pattern.quote(name) + "[^>]*-->\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(text);
            assertThat(block.find()).as("docs/operations.md block %s", name).isTrue();
            return block.group(1);
        }
    }

}
