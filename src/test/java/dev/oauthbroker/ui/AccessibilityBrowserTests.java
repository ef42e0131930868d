package dev.oauthbroker.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.TokenSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;

/**
 * axe-core's WCAG 2.1 A and AA rules on every page of the bundled UI, in the states users meet:
 * no violation of impact serious or critical. Every violation found is printed.
 */
@Tag("browser")
class AccessibilityBrowserTests extends BrokerIntegrationTest {

    static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    static final Set<String> BLOCKING = Set.of("serious", "critical");

    String name;

    @BeforeEach
    void name(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void screenshot() {
        Browser.screenshot(name);
    }

    @Test
    void onboardingWithConnectedNotConfiguredAndComingSoonCards() {
        connected("alice", "github", List.of("github"), "gho_SECRET-a11y", null, null);
        jiraGrantedConfluenceNot();
        Browser.openSignedIn(baseUrl(), "/onboarding", "alice");

        assertThat(badge("[data-bucket-card=github]")).isEqualTo("Connected");
        assertThat(badge("[data-bucket-card=gitlab]")).isEqualTo("Not configured");
        assertThat(badge("[data-bucket-card=acme]")).isEqualTo("Coming soon");
        assertThat(Browser.driver().findElement(By.cssSelector("[data-bucket-card=atlassian] [data-grant-access=confluence]")).getText())
                .isEqualTo("Grant access");
        assertNoSeriousViolations();
    }

    @Test
    void settingsWithEveryStatus() {
        connected("alice", "github", List.of("github"), "gho_SECRET-a11y", null, null);
        Grant zoom = connected("alice", "zoom", List.of("zoom"), "zm-SECRET-a11y", "zm-SECRET-rt", 3600L);
        jdbc.update("update grants set status = 'reauth_required' where id = ?", zoom.id());
        jiraGrantedConfluenceNot();
        Browser.openSignedIn(baseUrl(), "/settings/integrations", "alice");

        assertThat(badge("tr[data-tool=github]")).isEqualTo("Connected");
        assertThat(badge("tr[data-tool=zoom]")).isEqualTo("Reconnect needed");
        assertThat(badge("tr[data-tool=gitlab]")).isEqualTo("Not configured");
        assertThat(badge("tr[data-tool=acme_wiki]")).isEqualTo("Coming soon");
        assertThat(badge("tr[data-tool=jira]")).isEqualTo("Connected");
        assertThat(badge("tr[data-tool=confluence]")).isEqualTo("Needs more access");
        assertThat(badge("tr[data-tool=outlook]")).isEqualTo("Not connected");
        assertNoSeriousViolations();
    }

    @Test
    void theCallbackFailurePage() {
        Browser.driver().get(baseUrl() + "/integrations/callback?success=false&error=access_denied");
        assertThat(Browser.waitFor(By.id("callback-error")).getText()).startsWith("You declined access");
        assertNoSeriousViolations();
    }

    @Test
    void theAdminConsentPagesWithTheLinkToForwardAndTheThanks() {
        Browser.openSignedIn(baseUrl(), "/settings/integrations", "alice");
        Browser.driver().get(baseUrl() + "/integrations/callback?success=false&error=admin_consent_required&bucket=microsoft");
        assertThat(Browser.waitFor(By.id("admin-consent-link")).getText()).isEqualTo("Approve this application for your organisation");
        assertNoSeriousViolations();
        Browser.screenshot(name + "-link");

        Browser.driver().get(baseUrl() + "/integrations/callback?success=true&adminConsent=granted&bucket=microsoft");
        assertThat(Browser.waitFor(By.id("admin-consent-granted")).getText()).startsWith("Thank you.");
        assertNoSeriousViolations();
    }

    /** An Atlassian grant whose consent granted Jira's scopes but not Confluence's: confluence is missing_scopes. */
    private void jiraGrantedConfluenceNot() {
        grantStore.connect("alice", "atlassian", List.of("jira", "confluence"),
                new TokenSet("eyJ-SECRET-a11y", "eyJ-SECRET-a11y-rt", "Bearer", 3600L, List.of("offline_access", "read:me", "jira:read")));
    }

    private static String badge(String container) {
        return Browser.driver().findElement(By.cssSelector(container + " .badge")).getText();
    }

    private static void assertNoSeriousViolations() {
        Results results = new AxeBuilder().withTags(WCAG_21_AA).analyze(Browser.driver());
        assertThat(results.getErrorMessage()).as("axe-core failed to run").isNull();
        List<Rule> violations = results.getViolations();
        violations.forEach(rule -> System.out.printf("axe %s: %s [%s] %s — %s%n", results.getUrl(), rule.getId(), rule.getImpact(),
                rule.getHelp(), rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).collect(Collectors.joining(", "))));
        assertThat(violations).filteredOn(rule -> BLOCKING.contains(rule.getImpact()))
                .as("serious or critical WCAG 2.1 AA violations on %s", results.getUrl())
                .extracting(rule -> rule.getId() + " (" + rule.getNodes().size() + " nodes): " + rule.getHelp())
                .isEmpty();
    }
}
