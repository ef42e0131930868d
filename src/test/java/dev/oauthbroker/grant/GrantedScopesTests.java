package dev.oauthbroker.grant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.provider.CatalogLoader;
import dev.oauthbroker.provider.ProviderCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** The granted set of a consent and a refresh, and which of a tool's catalogue scopes it lacks. */
class GrantedScopesTests {

    static final String CALENDAR = "https://www.googleapis.com/auth/calendar.readonly";
    static final String DRIVE = "https://www.googleapis.com/auth/drive.readonly";

    @TempDir
    Path dir;

    @Test
    void anAnswerWithoutScopeGrantedWhatWasAsked() {
        assertThat(GrantedScopes.ofConsent(List.of(), List.of("offline_access", "read:jira-work"))).containsExactly("offline_access", "read:jira-work");
        assertThat(GrantedScopes.ofConsent(List.of("read:jira-work"), List.of("offline_access", "read:jira-work", "read:confluence-content.all")))
                .as("the answer's scope wins, even narrower").containsExactly("read:jira-work");
    }

    @Test
    void aGrantAccessAnswerWithoutScopeAddsWhatWasAskedToTheEarlierSet() {
        assertThat(GrantedScopes.ofUpgrade(List.of("openid", CALENDAR), List.of(), List.of(DRIVE))).containsExactly("openid", CALENDAR, DRIVE);
        assertThat(GrantedScopes.ofUpgrade(List.of("openid", CALENDAR), List.of("openid", CALENDAR, DRIVE), List.of(DRIVE)))
                .containsExactly("openid", CALENDAR, DRIVE);
    }

    @Test
    void onlyTheToolsOwnScopesCountAndGoogleUrlsCompareWhole() {
        List<String> googleAnswer = List.of("openid", CALENDAR, "https://www.googleapis.com/auth/userinfo.email");
        assertThat(GrantedScopes.missing(List.of(CALENDAR, DRIVE), googleAnswer)).containsExactly(DRIVE);
        assertThat(GrantedScopes.missing(List.of("https://www.googleapis.com/auth/drive"), List.of(DRIVE)))
                .as("drive.readonly is not drive").containsExactly("https://www.googleapis.com/auth/drive");
    }

    @Test
    void microsoftsResourceQualifiedAndDifferentlyCasedScopesGrantTheCatalogueNames() {
        List<String> answer = List.of("https://graph.microsoft.com/Mail.Read", "https://graph.microsoft.com/calendars.read", "User.Read");
        assertThat(GrantedScopes.missing(List.of("Mail.Read", "Calendars.Read"), answer)).isEmpty();
        assertThat(GrantedScopes.missing(List.of("Chat.Read", "Mail.Read"), answer)).containsExactly("Chat.Read");
        assertThat(GrantedScopes.grants("https://graph.microsoft.com/Mail.ReadWrite", "Mail.Read")).isFalse();
    }

    @Test
    void aGrantWhoseSetWasNeverRecordedLacksNothing() {
        assertThat(GrantedScopes.missing(List.of("read:jira-work"), List.of())).isEmpty();
    }

    @Test
    void aChangeSaysWhatWasAddedAndWhatWasLost() {
        assertThat(GrantedScopes.change(List.of("a", "b"), List.of("b", "c"))).isEqualTo("granted: c; no longer granted: a");
        assertThat(GrantedScopes.lost(List.of("Mail.Read", "Chat.Read"), List.of("https://graph.microsoft.com/mail.read"))).containsExactly("Chat.Read");
    }

    @Test
    void aScopeAddedToAToolInTheCatalogueLaterShowsTheExistingGrantAsMissingScopesForThatToolOnly() throws IOException {
        Grant grant = new Grant(UUID.randomUUID(), "u1", "atlassian", GrantStatus.active, "at-SECRET", "rt-SECRET", "Bearer",
                List.of("offline_access", "read:jira-work", "read:confluence-content.all"), InMemoryGrants.NOW.plus(Duration.ofHours(1)), 1,
                InMemoryGrants.NOW, null, null, null, List.of("confluence", "jira"), false);
        IntegrationViews before = views(catalogue("[read:jira-work]"));
        IntegrationViews after = views(catalogue("[read:jira-work, write:jira-work]"));

        assertThat(before.statusOf(grant, "jira", InMemoryGrants.NOW)).isEqualTo("connected");
        assertThat(after.statusOf(grant, "jira", InMemoryGrants.NOW)).isEqualTo("missing_scopes");
        assertThat(after.describe(grant, "jira", InMemoryGrants.NOW)).containsEntry("missingScopes", List.of("write:jira-work"));
        assertThat(after.statusOf(grant, "confluence", InMemoryGrants.NOW)).isEqualTo("connected");
        assertThat(after.statusOf(grant.asReauthRequired("invalid_grant"), "jira", InMemoryGrants.NOW))
                .as("a dead grant needs a reconnect first").isEqualTo("reauth_required");
    }

    private static IntegrationViews views(ProviderCatalog catalog) {
        return new IntegrationViews(null, catalog, new RefreshTiming(provider -> Duration.ofMinutes(5)),
                Clock.fixed(InMemoryGrants.NOW, ZoneOffset.UTC));
    }

    private ProviderCatalog catalogue(String jiraScopes) throws IOException {
        Path file = dir.resolve("providers-" + Math.abs(jiraScopes.hashCode()) + ".yaml");
        Files.writeString(file, """
                providers:
                  atlassian:
                    displayName: Atlassian
                    authorizeUrl: https://auth.atlassian.com/authorize
                    tokenUrl: https://auth.atlassian.com/oauth/token
                    clientId: a
                    clientSecret: b
                    scopes: [offline_access, read:me]
                    tools:
                      jira: {displayName: Jira, scopes: %s}
                      confluence: {displayName: Confluence, scopes: [read:confluence-content.all]}
                buckets:
                  atlassian: {displayName: Atlassian, provider: atlassian, tools: [jira, confluence]}
                """.formatted(jiraScopes));
        return new CatalogLoader(new MockEnvironment()::resolvePlaceholders).load(file);
    }
}
