package dev.oauthbroker.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.TokenSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

class OAuthCliTests extends BrokerIntegrationTest {

    @Autowired
    ConfigurableApplicationContext context;

    CliRun cli(String... args) {
        return CliRun.of(context, args);
    }

    @Test
    void usageErrorsExit2AndHelpExists0ForEveryCommand() {
        assertThat(cli("--help").out()).contains("status", "inspect", "refresh", "validate-all", "disconnect",
                "simulate-failure", "rotate-key", "providers");
        for (String command : List.of("status", "inspect", "refresh", "validate-all", "disconnect", "simulate-failure", "rotate-key", "providers",
                "check", "clients")) {
            CliRun help = cli(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).startsWith("Usage: oauth-cli " + command);
        }
        assertThat(cli("bogus").exit()).isEqualTo(2);
        assertThat(cli("status", "--bogus").exit()).isEqualTo(2);
        CliRun missing = cli("inspect", "jira");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--user=<id>'");
    }

    @Test
    void statusCountsEveryUsersToolsPerStatus() {
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        Grant bobs = connected("bob", "github", List.of("github"), "gho_SECRET-b", null, null);
        jdbc.update("update grants set status = 'reauth_required' where id = ?", bobs.id());

        CliRun table = cli("status");
        assertThat(table.exit()).isZero();
        assertThat(table.out().lines().toList()).hasSize(3);
        assertThat(table.out()).containsPattern("alice\\s+2\\s+2\\s+0\\s+0").containsPattern("bob\\s+1\\s+0\\s+0\\s+reauth_required 1");

        JsonNode users = cli("status", "--json").json().get("users");
        assertThat(users).hasSize(2);
        assertThat(users.get(0).get("user").asText()).isEqualTo("alice");
        assertThat(users.get(0).get("connected").asInt()).isEqualTo(2);
        assertThat(users.get(1).get("reauth_required").asInt()).isEqualTo(1);
    }

    @Test
    void statusForOneUserShowsEachToolInDetail() {
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        expiresIn(grant, 120);

        CliRun run = cli("status", "--user", "alice");
        assertThat(run.out()).contains("TOOL", "STATUS", "TOKEN AGE", "EXPIRES IN", "SCOPES", "REFRESH TOKEN", "LAST VALIDATED");
        assertThat(run.out()).containsPattern("confluence\\s+expiring\\s+58m \\d+s\\s+2m 0s|confluence\\s+expiring\\s+58m \\d+s\\s+1m 5\\ds");
        assertThat(run.out()).containsPattern("jira\\s+expiring.*read\\s+-\\s+yes\\s+never\\s+never");

        JsonNode tools = cli("status", "--user", "alice", "--json").json().get("tools");
        assertThat(tools).hasSize(2);
        assertThat(tools.get(1).get("tool").asText()).isEqualTo("jira");
        assertThat(tools.get(1).get("hasRefreshToken").asBoolean()).isTrue();
        assertThat(tools.get(1).get("expiresInSeconds").asLong()).isBetween(100L, 120L);
        assertThat(cli("status", "--user", "nobody").out()).contains("has no connected tools");
    }

    @Test
    void statusAndInspectShowAToolMissingScopesWhileItsSiblingIsConnected() {
        grantStore.connect("alice", "atlassian", List.of("jira", "confluence"),
                new TokenSet("at-SECRET-a", "rt-SECRET-a", "Bearer", 3600L, List.of("offline_access", "read:me", "jira:read")));

        assertThat(cli("status").out()).containsPattern("alice\\s+2\\s+1\\s+0\\s+0\\s+missing_scopes 1");
        CliRun run = cli("status", "--user", "alice");
        assertThat(run.out()).contains("MISSING SCOPES").containsPattern("confluence\\s+missing_scopes.*jira:read\\s+confluence:read\\s+yes")
                .containsPattern("jira\\s+connected.*jira:read\\s+-\\s+yes");
        JsonNode tools = cli("status", "--user", "alice", "--json").json().get("tools");
        assertThat(tools.get(0).get("missingScopes")).extracting(JsonNode::asText).containsExactly("confluence:read");

        CliRun inspect = cli("inspect", "confluence", "--user", "alice");
        assertThat(inspect.out()).contains("status          missing_scopes", "missing scopes  confluence:read");
        assertThat(cli("inspect", "jira", "--user", "alice").out()).contains("status          connected").doesNotContain("missing scopes");
    }

    @Test
    void inspectShowsMetadataSharingAndEventsButNeverTheToken() {
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);

        assertThat(internalToken("alice", "jira", false).statusCode()).isEqualTo(200);
        // the service key's fetch is written within a second, off the token path
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from client_fetches where user_id = 'alice' and tool = 'jira' and client_id = 'service-key' and outcome = 'ok'",
                Integer.class) == 1);

        CliRun run = cli("inspect", "jira", "--user", "alice");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("jira for alice", "(atlassian)", "refresh token   present", "shared with     confluence, jira",
                "last refreshed  never", "last rejected   never", "connected        tools=jira,confluence")
                .containsPattern("last fetch by client\\n    \\S+ +service-key +ok\\n");

        JsonNode json = cli("inspect", "jira", "--user", "alice", "--json").json();
        assertThat(json.get("sharedWith")).extracting(JsonNode::asText).containsExactly("confluence", "jira");
        assertThat(json.get("events").get(0).get("event").asText()).isEqualTo("connected");
        assertThat(json.toString()).doesNotContain("accessToken").doesNotContain("refreshToken\"");

        CliRun missing = cli("inspect", "zoom", "--user", "alice");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("has not connected zoom");
    }

    @Test
    void inspectShowsTheLastTokenABackendReportedRejected() {
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        assertThat(grantStore.recordRejection(grant, "issued 2.0s ago, within the grace of 10.0s: not refreshed")).isTrue();
        assertThat(grantStore.recordRejection(grant, "refreshing")).as("one event per rejected token").isFalse();

        CliRun run = cli("inspect", "confluence", "--user", "alice");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("last rejected   \\S+Z \\(\\d+s ago\\): issued 2.0s ago, within the grace of 10.0s: not refreshed")
                .doesNotContain("SECRET");
        JsonNode json = cli("inspect", "confluence", "--user", "alice", "--json").json();
        assertThat(json.get("lastRejection").get("event").asText()).isEqualTo("token_rejected");
        assertThat(json.get("lastRejection").get("detail").asText()).endsWith("not refreshed");
        assertThat(jdbc.queryForObject("select count(*) from grant_events where grant_id = ? and event = 'token_rejected'", Integer.class, grant.id()))
                .isEqualTo(1);
    }

    @Test
    void refreshForcesARefreshAndVerboseShowsEachAttemptLive() {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(canned(200, "atlassian/token-ok.json")));
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);

        CliRun run = cli("refresh", "jira", "--user", "alice", "--verbose");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("jira for alice: refreshed in \\d+ ms; expires in 5\\dm \\d+s; refresh token rotated");
        assertThat(run.err()).contains("attempt=1 of 3", "nextDelayMs=20", "error=http_503", "token refreshed");
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(grantStore.find(grant.id()).orElseThrow().tokenVersion()).isEqualTo(grant.tokenVersion() + 1);
    }

    @Test
    void everyCommandTakesVerboseAndShowsItsOwnOperationsTimedOnStderr() {
        providers.stubFor(get(urlPathEqualTo("/atlassian/accessible-resources")).willReturn(okJson("[]")));
        providers.stubFor(delete(urlPathMatching("/github/applications/.*/grant")).willReturn(aResponse().withStatus(204)));
        Grant alices = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        Grant bobs = connected("bob", "github", List.of("github"), "gho_SECRET-b", null, null);
        String ready = "INFO  broker ready: catalogue src/test/resources/providers-test.yaml (8 of 9 providers configured)";

        Map<List<String>, List<String>> expected = new LinkedHashMap<>();
        expected.put(List.of("status"), List.of(ready, "INFO  2 users with active grants read",
                "INFO  grants of alice read: [atlassian active [confluence, jira]]"));
        expected.put(List.of("status", "--user", "alice"), List.of("INFO  grants of alice read: [atlassian active [confluence, jira]]"));
        expected.put(List.of("inspect", "jira", "--user", "alice"), List.of("INFO  grant " + alices.id() + " (atlassian, version 1) and its last 1 events read"));
        expected.put(List.of("validate-all", "--user", "alice"), List.of(
                "DEBUG identity endpoint answered (event=validate.identity_answer provider=atlassian user=alice grant=" + alices.id(),
                "INFO  validated (event=validate.valid provider=atlassian user=alice grant=" + alices.id()));
        expected.put(List.of("validate-all"), List.of("INFO  validated (event=validate.valid provider=atlassian",
                "INFO  validation sweep done (event=sweep.done", " checked=2 valid=1 "));
        expected.put(List.of("providers"), List.of(ready));
        expected.put(List.of("rotate-key"), List.of("DEBUG grant " + alices.id() + " already under the current key"));
        expected.put(List.of("disconnect", "github", "--user", "bob"), List.of(
                "DEBUG disconnected locally (event=revoke.detached user=bob tool=github ", "grantsToRevoke=[" + bobs.id() + "])",
                "INFO  token revocation revoked (event=revoke.revoked provider=github user=bob grant=" + bobs.id() + " "));
        expected.forEach((args, lines) -> {
            List<String> withVerbose = new ArrayList<>(args);
            withVerbose.add("--verbose");
            CliRun run = cli(withVerbose.toArray(String[]::new));
            assertThat(run.err()).as(String.join(" ", args)).contains(lines);
            assertThat(run.err().lines()).as(String.join(" ", args)).isNotEmpty()
                    .allMatch(line -> line.matches("  \\+ *\\d+ ms  (DEBUG|INFO |WARN |ERROR) .+"));
        });
        assertThat(cli("status").err()).as("without --verbose").isEmpty();
    }

    @Test
    void aRefreshThatFindsADeadGrantExits1() {
        stubToken("/atlassian/token", 403, "atlassian/invalid-grant.json");
        connected("alice", "atlassian", List.of("jira"), "at-SECRET-a", "rt-SECRET-a", 3600L);

        CliRun run = cli("refresh", "jira", "--user", "alice", "--json");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.json().get("result").asText()).isEqualTo("failed");
        assertThat(run.json().get("error").asText()).contains("reconnect jira");
    }

    @Test
    void validateAllForAUserAndAsASweep() {
        providers.stubFor(get(urlPathEqualTo("/atlassian/accessible-resources")).willReturn(okJson("[]")));
        providers.stubFor(get(urlPathEqualTo("/github/user")).willReturn(aResponse().withStatus(401)));
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);

        CliRun ok = cli("validate-all", "--user", "alice");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).containsPattern("jira\\s+valid\\s+connected\\s+no");

        connected("alice", "github", List.of("github"), "gho_SECRET-g", null, null);
        CliRun bad = cli("validate-all", "--user", "alice", "--json");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.json().get("results")).hasSize(3);

        connected("carol", "atlassian", List.of("jira"), "at-SECRET-c", "rt-SECRET-c", 3600L);
        CliRun sweep = cli("validate-all", "--json");
        assertThat(sweep.json().get("checked").asInt()).isEqualTo(2);
        assertThat(sweep.json().get("valid").asInt()).isEqualTo(2);
        assertThat(sweep.exit()).isZero();
    }

    @Test
    void disconnectRevokesAndShowsTheResult() {
        providers.stubFor(delete(urlPathMatching("/github/applications/.*/grant")).willReturn(aResponse().withStatus(204)));
        connected("bob", "github", List.of("github"), "gho_SECRET-b", null, null);

        CliRun run = cli("disconnect", "github", "--user", "bob");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("disconnected github for bob; revocation at the provider: revoked");
        providers.verify(exactly(1), deleteRequestedFor(urlPathMatching("/github/applications/.*/grant")));
        assertThat(jdbc.queryForObject("select status from grants", String.class)).isEqualTo("disconnected");
        CliRun again = cli("disconnect", "github", "--user", "bob");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("not connected");
    }

    @Test
    void anUndecryptableGrantIsReportedByValidateAllDisconnectAndRotateKeyWithoutFailingTheOthers() {
        providers.stubFor(get(urlPathEqualTo("/atlassian/accessible-resources")).willReturn(okJson("[]")));
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        Grant broken = connected("alice", "github", List.of("github"), "gho_SECRET-g", null, null);
        dropKeyOf(broken);

        CliRun rotate = cli("rotate-key");
        assertThat(rotate.exit()).as("rotation is incomplete").isEqualTo(1);
        assertThat(rotate.out()).containsPattern("grants\\s+0\\s+1\\s+0\\s+1")
                .containsPattern(broken.id() + "\\s+alice\\s+github");

        CliRun sweep = cli("validate-all");
        assertThat(sweep.exit()).as(sweep.out()).isZero();
        assertThat(sweep.out()).contains("checked 1, valid 1", "skipped (undecryptable) 1");

        CliRun user = cli("validate-all", "--user", "alice");
        assertThat(user.exit()).as(user.out()).isZero();
        assertThat(user.out()).containsPattern("github\\s+skipped\\s+reauth_required\\s+no\\s+undecryptable")
                .containsPattern("jira\\s+valid");

        CliRun disconnect = cli("disconnect", "github", "--user", "alice");
        assertThat(disconnect.exit()).isZero();
        assertThat(disconnect.out()).contains("revocation at the provider: skipped (its tokens cannot be decrypted");
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, broken.id())).isEqualTo("disconnected");
    }

    @Test
    void simulateFailureRunsTheRealPipelineAndLeavesTheGrantByteIdentical() {
        stubToken("/atlassian/token", 403, "atlassian/invalid-grant.json");
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        String before = snapshot(grant);

        CliRun run = cli("simulate-failure", "jira", "--user", "alice");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("provider answered: invalid_grant after 1 request (no retry)",
                "result: reauth_required", "stored credentials: unchanged (verified)", "the invalid_grant path works");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token"))
                .withRequestBody(containing("refresh_token=oauth-broker-simulated-invalid-")));
        assertThat(snapshot(grant)).isEqualTo(before);

        JsonNode json = cli("simulate-failure", "jira", "--user", "alice", "--json").json();
        assertThat(json.get("providerRequests").asInt()).isEqualTo(1);
        assertThat(json.get("result").asText()).isEqualTo("reauth_required");
        assertThat(json.get("storedGrantUnchanged").asBoolean()).isTrue();
        assertThat(snapshot(grant)).isEqualTo(before);
    }

    @Test
    void providersListsTheCatalogueAndWhatIsMissing() {
        CliRun run = cli("providers");
        assertThat(run.out()).containsPattern("gitlab\\s+unavailable\\s+gitlab.*set GITLAB_CLIENT_ID, GITLAB_CLIENT_SECRET")
                .containsPattern("atlassian\\s+configured\\s+jira,confluence\\s+no\\s+none\\s+yes")
                .doesNotContain("client-secret-value");
        JsonNode json = cli("providers", "--json").json().get("providers");
        assertThat(json).hasSize(9);
    }

    @Test
    void providersShowsTheToolsThatNeedAdminConsentAndTheTenantsThatGaveIt() {
        jdbc.execute("truncate admin_consents");
        assertThat(cli("providers").out()).contains("microsoft: teams_channels need an administrator's consent; no tenant has consented yet");

        jdbc.update("insert into admin_consents values ('microsoft', 'contoso.onmicrosoft.com', 'https://graph.microsoft.com/ChannelMessage.Read.All', 'alice', now() - interval '3 minutes')");

        assertThat(cli("providers").out()).containsPattern("microsoft: teams_channels need an administrator's consent; "
                + "consented: contoso\\.onmicrosoft\\.com \\(3m \\d+s ago, link of alice\\)");
        JsonNode microsoft = StreamSupport.stream(cli("providers", "--json").json().get("providers").spliterator(), false)
                .filter(p -> p.get("provider").asText().equals("microsoft")).findFirst().orElseThrow();
        assertThat(microsoft.get("adminConsentTools")).extracting(JsonNode::asText).containsExactly("teams_channels");
        assertThat(microsoft.at("/adminConsents/0/tenant").asText()).isEqualTo("contoso.onmicrosoft.com");
        assertThat(microsoft.at("/adminConsents/0/requestedBy").asText()).isEqualTo("alice");
    }

    @Test
    void providersShowsEachProvidersBreakerAsLastChangedByAnyInstance() {
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(aResponse().withStatus(503)));
        connected("alice", "google", List.of("google_workspace"), "ya29.SECRET-a", "1//SECRET-a", -10L);
        assertThat(internalToken("alice", "google_workspace", false).statusCode()).isEqualTo(503);
        // another instance's breaker for zoom opened 12 s ago; this process never called zoom
        jdbc.update("insert into provider_health values ('zoom', 'OPEN', '5 consecutive failures', now() - interval '12 seconds')");

        CliRun run = cli("providers");

        assertThat(run.out()).contains("BREAKER")
                .containsPattern("google\\s+configured\\s+google_workspace\\s+S256\\s+rfc7009\\s+no\\s+open \\ds ago")
                .containsPattern("zoom\\s+configured\\s+zoom\\s+S256\\s+rfc7009\\s+yes\\s+open 1\\ds ago")
                .containsPattern("atlassian\\s+configured\\s+jira,confluence\\s+no\\s+none\\s+yes\\s+closed");
        JsonNode google = StreamSupport.stream(cli("providers", "--json").json().get("providers").spliterator(), false)
                .filter(p -> p.get("provider").asText().equals("google")).findFirst().orElseThrow();
        assertThat(google.get("breaker").asText()).isEqualTo("open");
        assertThat(google.get("breakerReason").asText()).isEqualTo("3 consecutive failures");
        assertThat(google.get("refreshConcurrency").asInt()).isEqualTo(8);
    }

    String snapshot(Grant grant) {
        return jdbc.queryForObject("select g::text from grants g where id = ?", String.class, grant.id())
                + jdbc.queryForList("select t::text from grant_tools t where grant_id = ? order by tool", String.class, grant.id())
                + jdbc.queryForList("select (e.id, e.event, e.detail, e.at)::text from grant_events e where grant_id = ? order by id", String.class, grant.id());
    }
}
