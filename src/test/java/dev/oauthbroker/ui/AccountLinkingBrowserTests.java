package dev.oauthbroker.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The account-linking attack in a real browser (RFC 9700 §4.7): mallory starts a GitHub connection
 * and sends its authorize URL to a victim signed in to the application as themselves; the
 * victim's consent comes back through the broker and the bundled UI completes it as the victim.
 * Nothing may be stored for anyone. (The signed-out variant runs on the demo: DemoBrowserTests.)
 */
@Tag("browser")
class AccountLinkingBrowserTests extends BrokerIntegrationTest {

    @Test
    void aVictimSignedInAsSomeoneElseConnectsNothingForAnyone() {
        providers.stubFor(get(urlPathEqualTo("/github/authorize")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", baseUrl() + "/oauth/callback?code=victims-code&state={{request.query.state}}")
                .withTransformers("response-template")));
        stubToken("/github/token", 200, "github/token-ok.json");
        String mallory = TestUsers.jwt("mallory");
        String authUrl = json(call("POST", "/api/integrations/github/authorize", mallory)).get("authUrl").asText();

        ChromeDriver browser = Browser.driver();
        browser.get(baseUrl() + "/callback.html#blank");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear(); sessionStorage.clear();");
        browser.get(baseUrl() + "/settings/integrations#token=" + TestUsers.jwt("victim"));
        WebElement settings = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("validate-all")));
        browser.get(authUrl);

        Browser.waiting().until(ExpectedConditions.stalenessOf(settings));
        WebElement error = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("callback-error")));
        Browser.screenshot("accountLinkingRefused");
        assertThat(error.getText()).startsWith("This connection was started from a different account, so nothing was connected.");
        assertThat(browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("Signed in as victim");
        providers.verify(exactly(0), postRequestedFor(urlPathEqualTo("/github/token")));
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).as("the flow is gone").isZero();
        assertThat(json(call("GET", "/api/integrations", mallory)).toString()).doesNotContain("\"isConnected\":true");
    }
}
