package dev.oauthbroker.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The bundled UI in a real headless Chromium against the running service, with WireMock providers
 * whose authorize endpoint sends the browser straight back with a code (or an error).
 */
@Tag("browser")
class OnboardingBrowserTests extends BrokerIntegrationTest {

    ChromeDriver browser;
    String name;

    @BeforeEach
    void freshBrowser(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName();
        browser = Browser.driver();
        browser.get(baseUrl() + "/callback.html#blank");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear(); sessionStorage.clear();");
        for (String provider : List.of("github", "atlassian", "microsoft", "google", "slack", "figma", "zoom", "acme")) {
            providers.stubFor(get(urlPathEqualTo("/" + provider + "/authorize")).willReturn(aResponse().withStatus(302)
                    .withHeader("Location", baseUrl() + "/oauth/callback?code=browser-code&state={{request.query.state}}")
                    .withTransformers("response-template")));
        }
        stubToken("/github/token", 200, "github/token-ok.json");
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
    }

    @AfterEach
    void screenshot() {
        Browser.screenshot(name);
    }

    @Test
    void happyPathConnectsGithubAndReturnsToOnboarding() {
        open("/onboarding", "alice");
        WebElement next = browser.findElement(By.id("next"));
        assertThat(next.isEnabled()).isFalse();

        browser.findElement(By.cssSelector("button[aria-label='Connect GitHub']")).click();

        Browser.waiting().until(ExpectedConditions.stalenessOf(next));
        Browser.waiting().until(ExpectedConditions.urlToBe(baseUrl() + "/onboarding"));
        WebElement card = waitFor(By.cssSelector("[data-bucket-card=github] .badge.connected"));
        assertThat(card.getText()).isEqualTo("Connected");
        assertThat(browser.findElement(By.id("next")).isEnabled()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from grants where user_id = 'alice' and provider = 'github'", Integer.class)).isEqualTo(1);
        assertThat(((JavascriptExecutor) browser).executeScript("return localStorage.getItem('onboarding-oauth-return')")).isNull();
    }

    @Test
    void aGroupConsentReturnsToOnboardingWithBothToolsConnected() {
        open("/onboarding", "alice");
        assertThat(browser.findElements(By.cssSelector("[data-bucket-card=atlassian] .chips li"))).extracting(WebElement::getText)
                .containsExactly("Jira issues", "Confluence pages");

        WebElement leaving = browser.findElement(By.id("next"));
        browser.findElement(By.cssSelector("button[aria-label='Connect Atlassian']")).click();

        Browser.waiting().until(ExpectedConditions.stalenessOf(leaving));
        Browser.waiting().until(ExpectedConditions.urlToBe(baseUrl() + "/onboarding"));
        waitFor(By.cssSelector("[data-bucket-card=atlassian] .badge.connected"));
        assertThat(jdbc.queryForList("select tool from grant_tools where user_id = 'alice' order by tool", String.class))
                .containsExactly("confluence", "jira");
    }

    @Test
    void aToolWithMissingScopesShowsGrantAccessWhoseConsentConnectsItOnTheSameGrant() {
        providers.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/atlassian/token")).willReturn(okJson(
                "{\"access_token\":\"eyJ-SECRET-jira-only\",\"refresh_token\":\"eyJ-SECRET-rt-1\",\"expires_in\":3600,"
                        + "\"token_type\":\"Bearer\",\"scope\":\"offline_access read:me jira:read\"}")));
        open("/onboarding", "alice");
        WebElement leaving = browser.findElement(By.id("next"));
        browser.findElement(By.cssSelector("button[aria-label='Connect Atlassian']")).click();
        Browser.waiting().until(ExpectedConditions.stalenessOf(leaving));
        Browser.waiting().until(ExpectedConditions.urlToBe(baseUrl() + "/onboarding"));

        WebElement grantAccess = waitFor(By.cssSelector("[data-bucket-card=atlassian] button[aria-label='Grant access to Confluence']"));
        assertThat(grantAccess.getText()).isEqualTo("Grant access");
        assertThat(browser.findElement(By.id("missing-confluence")).getText()).isEqualTo("Confluence needs more access");
        Object grantId = jdbc.queryForObject("select id from grants where user_id = 'alice'", Object.class);
        open("/settings/integrations", "alice");
        assertThat(waitFor(By.cssSelector("tr[data-tool=confluence] .badge")).getText()).isEqualTo("Needs more access");
        assertThat(browser.findElement(By.cssSelector("[data-missing=confluence]")).getText()).isEqualTo("Not granted: confluence:read");
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=jira] .badge")).getText()).isEqualTo("Connected");

        providers.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/atlassian/token")).willReturn(okJson(
                "{\"access_token\":\"eyJ-SECRET-both\",\"refresh_token\":\"eyJ-SECRET-rt-2\",\"expires_in\":3600,"
                        + "\"token_type\":\"Bearer\",\"scope\":\"offline_access read:me jira:read confluence:read\"}")));
        WebElement table = browser.findElement(By.cssSelector("table.tools"));
        browser.findElement(By.cssSelector("button[aria-label='Grant access to Confluence']")).click();
        Browser.waiting().until(ExpectedConditions.stalenessOf(table));
        Browser.waiting().until(ExpectedConditions.urlToBe(baseUrl() + "/settings/integrations"));

        assertThat(waitFor(By.cssSelector("tr[data-tool=confluence] .badge.connected")).getText()).isEqualTo("Connected");
        assertThat(browser.findElements(By.cssSelector("button[aria-label='Grant access to Confluence']"))).isEmpty();
        assertThat(jdbc.queryForList("select id from grants where user_id = 'alice'", Object.class)).containsExactly(grantId);
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grantId))
                .containsExactly("connected", "scopes_changed");
    }

    @Test
    void aStaleReturnGoesToSettingsInstead() {
        open("/onboarding", "alice");
        String authUrl = json(call("POST", "/api/integrations/github/authorize", TestUsers.jwt("alice"))).get("authUrl").asText();
        ((JavascriptExecutor) browser).executeScript("localStorage.setItem('onboarding-oauth-return', JSON.stringify("
                + "{step:'connect-tools', connectedTools:[], ts: Date.now() - 20 * 60 * 1000}))");

        browser.get(authUrl);

        Browser.waiting().until(ExpectedConditions.urlToBe(baseUrl() + "/settings/integrations"));
        waitFor(By.cssSelector("tr[data-tool=github] .badge.connected"));
    }

    @Test
    void nextIsDisabledUntilABucketIsConnected() {
        open("/onboarding", "nobody-yet");
        WebElement next = browser.findElement(By.id("next"));
        assertThat(next.isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("gate-hint")).getText()).isEqualTo("Connect at least one account to continue.");
        assertThat(browser.findElements(By.cssSelector("[data-bucket-card]"))).hasSize(6);
    }

    @Test
    void eachCardSaysWhatItGivesFromTheCatalogue() {
        open("/onboarding", "alice");
        Map<String, List<String>> chips = new LinkedHashMap<>();
        for (WebElement card : browser.findElements(By.cssSelector("[data-bucket-card]"))) {
            chips.put(card.getAttribute("data-bucket-card"), card.findElements(By.cssSelector(".chips li")).stream().map(WebElement::getText).toList());
        }
        assertThat(chips).containsExactly(
                entry("github", List.of("Pull requests", "Commits", "Reviews")),
                entry("atlassian", List.of("Jira issues", "Confluence pages")),
                entry("microsoft", List.of("Outlook mail", "Outlook calendar", "Teams chats")),
                entry("google_workspace", List.of("Calendar", "Drive")),
                entry("gitlab", List.of("GitLab")),
                entry("acme", List.of("Wiki pages")));
    }

    @Test
    void aComingSoonCardHasABadgeAndADisabledConnectUnlikeANotConfiguredOne() {
        open("/onboarding", "alice");
        WebElement acme = browser.findElement(By.cssSelector("[data-bucket-card=acme]"));
        assertThat(acme.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Coming soon");
        List<WebElement> buttons = acme.findElements(By.tagName("button"));
        assertThat(buttons).hasSize(1);
        assertThat(buttons.get(0).getText()).isEqualTo("Connect");
        assertThat(buttons.get(0).getAttribute("aria-label")).isEqualTo("Connect Acme");
        assertThat(buttons.get(0).isEnabled()).isFalse();
        WebElement gitlab = browser.findElement(By.cssSelector("[data-bucket-card=gitlab]"));
        assertThat(gitlab.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Not configured");
        assertThat(gitlab.findElements(By.tagName("button"))).isEmpty();

        open("/settings/integrations", "alice");
        for (String tool : List.of("acme_wiki", "onedrive")) {
            assertThat(browser.findElement(By.cssSelector("tr[data-tool=" + tool + "] .badge")).getText()).as(tool).isEqualTo("Coming soon");
            assertThat(browser.findElements(By.cssSelector("tr[data-tool=" + tool + "] button"))).as(tool).isEmpty();
        }
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=outlook] .badge")).getText()).isEqualTo("Not connected");
    }

    @Test
    void aDeniedConsentIsExplainedInlineWithARetry() {
        providers.stubFor(get(urlPathEqualTo("/github/authorize")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", baseUrl() + "/oauth/callback?error=access_denied&error_description=denied&state={{request.query.state}}")
                .withTransformers("response-template")));
        open("/onboarding", "alice");

        browser.findElement(By.cssSelector("button[aria-label='Connect GitHub']")).click();

        WebElement error = waitFor(By.id("callback-error"));
        assertThat(error.getText()).startsWith("You declined access");
        WebElement retry = browser.findElement(By.id("retry"));
        assertThat(retry.getAttribute("href")).isEqualTo(baseUrl() + "/onboarding");
        retry.click();
        Browser.waiting().until(ExpectedConditions.stalenessOf(retry));
        Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("next")));
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();
    }

    @Test
    void anAdministratorConsentErrorSaysWhoMustAct() {
        browser.get(baseUrl() + "/integrations/callback?success=false&error=admin_consent_required&message=ignored");
        assertThat(waitFor(By.id("callback-error")).getText()).startsWith("Your administrator must approve");
        browser.get(baseUrl() + "/integrations/callback?success=false&error=%3Cscript%3Ex%3C%2Fscript%3E");
        assertThat(waitFor(By.id("callback-error")).getText()).contains("error: _script_x__script_");
    }

    @Test
    void unconfiguredProvidersShowNotConfiguredAndNoButton() {
        open("/onboarding", "alice");
        WebElement gitlab = browser.findElement(By.cssSelector("[data-bucket-card=gitlab]"));
        assertThat(gitlab.getText()).contains("Not configured");
        assertThat(gitlab.findElements(By.tagName("button"))).isEmpty();
    }

    @Test
    void settingsListsEveryToolAndDisconnectsAfterConfirmation() {
        providers.stubFor(delete(urlPathMatching("/github/applications/.*/grant")).willReturn(aResponse().withStatus(204)));
        Grant grant = connected("alice", "github", List.of("github"), "gho_SECRET-ui", null, null);
        open("/settings/integrations", "alice");

        assertThat(browser.findElements(By.cssSelector("tbody tr"))).hasSize(15);
        for (String tool : List.of("slack", "figma", "zoom", "onenote", "sharepoint", "teams_channels", "acme_wiki")) {
            assertThat(browser.findElements(By.cssSelector("tr[data-tool=" + tool + "]"))).as(tool).hasSize(1);
        }
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=gitlab] .badge")).getText()).isEqualTo("Not configured");
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=github] .badge")).getText()).isEqualTo("Connected");

        browser.findElement(By.cssSelector("button[aria-label='Disconnect GitHub']")).click();
        WebElement dialog = waitFor(By.id("confirm"));
        assertThat(dialog.getText()).contains("Disconnect GitHub?");
        browser.findElement(By.id("confirm-ok")).click();

        WebElement notice = waitFor(By.cssSelector("#notice .notice"));
        assertThat(notice.getText()).isEqualTo("Disconnected GitHub: access revoked at the provider.");
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=github] .badge")).getText()).isEqualTo("Not connected");
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, grant.id())).isEqualTo("disconnected");
    }

    @Test
    void connectingFromSettingsComesBackToSettings() {
        open("/settings/integrations", "alice");
        ((JavascriptExecutor) browser).executeScript("localStorage.setItem('onboarding-oauth-return', JSON.stringify("
                + "{step:'connect-tools', connectedTools:[], ts: Date.now()}))");
        WebElement leaving = browser.findElement(By.id("validate-all"));

        browser.findElement(By.cssSelector("button[aria-label='Connect Jira']")).click();

        Browser.waiting().until(ExpectedConditions.stalenessOf(leaving));
        Browser.waiting().until(ExpectedConditions.urlToBe(baseUrl() + "/settings/integrations"));
        assertThat(waitFor(By.cssSelector("tr[data-tool=jira] .badge")).getText()).isEqualTo("Connected");
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=confluence] .badge")).getText())
                .as("a single-tool connect grants only that tool").isEqualTo("Not connected");
    }

    @Test
    void cancellingTheConfirmationKeepsTheConnection() {
        connected("alice", "github", List.of("github"), "gho_SECRET-ui", null, null);
        open("/settings/integrations", "alice");
        browser.findElement(By.cssSelector("button[aria-label='Disconnect GitHub']")).click();
        waitFor(By.id("confirm"));
        browser.findElement(By.id("confirm-cancel")).click();
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=github] .badge")).getText()).isEqualTo("Connected");
        assertThat(jdbc.queryForObject("select count(*) from grants where status = 'active'", Integer.class)).isEqualTo(1);
    }

    @Test
    void reauthRequiredOffersReconnectAndValidateAllReports() {
        providers.stubFor(get(urlPathEqualTo("/atlassian/accessible-resources")).willReturn(okJson("[]")));
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-ui", "rt-SECRET-ui", 3600L);
        Grant zoom = connected("alice", "zoom", List.of("zoom"), "zm-SECRET-ui", "zm-SECRET-rt", 3600L);
        jdbc.update("update grants set status = 'reauth_required' where id = ?", zoom.id());
        open("/settings/integrations", "alice");

        assertThat(browser.findElement(By.cssSelector("tr[data-tool=zoom] .badge")).getText()).isEqualTo("Reconnect needed");
        assertThat(browser.findElements(By.cssSelector("button[aria-label='Reconnect Zoom']"))).hasSize(1);

        browser.findElement(By.id("validate-all")).click();
        WebElement notice = waitFor(By.cssSelector("#notice .notice"));
        assertThat(notice.getText()).isEqualTo("Validation finished: 2 working, 1 need attention.");
        assertThat(browser.findElement(By.cssSelector("tr[data-tool=jira] td:nth-child(4)")).getText()).endsWith("ago");

        browser.findElement(By.cssSelector("button[aria-label='Reconnect Zoom']")).click();
        Browser.waiting().until(ExpectedConditions.urlContains("/integrations/callback"));
    }

    @Test
    void everyControlIsReachableByKeyboardAndLabelled() {
        open("/onboarding", "alice");
        for (WebElement button : browser.findElements(By.tagName("button"))) {
            String label = button.getAttribute("aria-label") != null ? button.getAttribute("aria-label") : button.getText();
            assertThat(label).as("button without a name").isNotBlank();
        }
        assertThat(browser.findElements(By.cssSelector("svg.icon"))).as("decorative icons, hidden from assistive technology").hasSize(6)
                .allMatch(svg -> "true".equals(svg.getAttribute("aria-hidden")) && svg.getAttribute("role") == null);
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
    }

    @Test
    void aKeyboardAloneCanConnectAndFocusIsVisible() {
        open("/onboarding", "kim");
        JavascriptExecutor js = browser;
        String focused = "";
        for (int i = 0; i < 30 && !"Connect GitHub".equals(focused); i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            focused = String.valueOf(js.executeScript("return document.activeElement.getAttribute('aria-label')"));
        }
        assertThat(focused).as("Connect GitHub reachable with Tab").isEqualTo("Connect GitHub");
        assertThat(String.valueOf(js.executeScript("return getComputedStyle(document.activeElement).boxShadow"))).isNotEqualTo("none");
        Browser.screenshot(name + "-focus");

        WebElement leaving = browser.findElement(By.id("next"));
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);

        Browser.waiting().until(ExpectedConditions.stalenessOf(leaving));
        Browser.waiting().until(ExpectedConditions.urlToBe(baseUrl() + "/onboarding"));
        waitFor(By.cssSelector("[data-bucket-card=github] .badge.connected"));
    }

    private void open(String path, String user) {
        Browser.openSignedIn(baseUrl(), path, user);
    }

    private WebElement waitFor(By locator) {
        return Browser.waitFor(locator);
    }
}
