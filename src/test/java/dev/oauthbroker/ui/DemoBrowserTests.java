package dev.oauthbroker.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.BrokerInstances;
import java.net.URI;
import java.net.http.HttpRequest;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo as a newcomer meets it: demo-only sign-in, and the sandbox provider's consent page. */
@Tag("browser")
class DemoBrowserTests extends BrokerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void outsideTheDemoProfileTheSignInEndpointDoesNotExistAndThePageAsksForTheHostsToken() {
        assertThat(call("GET", "/api/demo/session", null).statusCode()).isEqualTo(404);
        var post = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/demo/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"x\"}")).build());
        assertThat(post.statusCode()).isEqualTo(404);

        ChromeDriver browser = Browser.driver();
        browser.get(baseUrl() + "/callback.html#blank");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear(); sessionStorage.clear();");
        browser.get(baseUrl() + "/onboarding");
        WebElement message = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".signin h1")));
        assertThat(message.getText()).isEqualTo("Sign in through your application");
        Browser.screenshot("signInOutsideDemo");
    }

    @Test
    void inTheDemoAUserIdIsEnoughToSignIn() {
        String base = BrokerInstances.demoOn(dataSource).baseUrl();
        ChromeDriver browser = Browser.driver();
        browser.get(base + "/callback.html#blank");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear(); sessionStorage.clear();");
        browser.get(base + "/onboarding");

        WebElement userId = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-id")));
        userId.sendKeys("dana");
        Browser.screenshot("demoSignIn");
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();

        Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("next")));
        assertThat(browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("Signed in as dana");
        Browser.screenshot("demoSignedIn");
    }

    @Test
    void theSandboxConsentPageAllowsAndDenies() {
        String base = BrokerInstances.demoOn(dataSource).baseUrl();
        ChromeDriver browser = signedInToTheDemo(base, "erin");
        browser.findElement(By.cssSelector("button[aria-label^='Connect Sandbox']")).click();

        WebElement deny = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("deny")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Allow oauth-broker to read your Sandbox account?");
        Browser.screenshot("sandboxConsent");
        deny.click();
        WebElement error = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("callback-error")));
        assertThat(error.getText()).startsWith("You declined access");
        Browser.screenshot("sandboxDenied");

        browser.findElement(By.id("retry")).click();
        Browser.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label^='Connect Sandbox']"))).click();
        WebElement allow = Browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("allow")));
        allow.click();
        Browser.waiting().until(ExpectedConditions.stalenessOf(allow));
        Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-bucket-card=sandbox] .badge.connected")));
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/onboarding");
        assertThat(browser.findElement(By.id("next")).isEnabled()).isTrue();
        Browser.screenshot("sandboxConnected");
    }

    @Test
    void aVictimSignedOutWhoSignsInAsThemselvesConnectsNothingForAnyone() {
        String base = BrokerInstances.demoOn(dataSource).baseUrl();
        String authUrl = sandboxAuthUrlStartedBy(base, "mallory");

        ChromeDriver browser = signedOut(base);
        consentAtTheSandbox(browser, authUrl);
        signInToTheDemo(browser, "victor");

        WebElement error = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("callback-error")));
        Browser.screenshot("accountLinkingSignedOutRefused");
        assertThat(error.getText()).startsWith("This connection was started from a different account, so nothing was connected.");
        assertThat(jdbc.queryForObject("select count(*) from grants where user_id in ('mallory', 'victor')", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from oauth_states where user_id = 'mallory'", Integer.class)).as("the flow is gone").isZero();
    }

    @Test
    void aUserSignedOutDuringTheirOwnConsentSignsInAndTheConnectionCompletes() {
        String base = BrokerInstances.demoOn(dataSource).baseUrl();
        String authUrl = sandboxAuthUrlStartedBy(base, "frank");

        ChromeDriver browser = signedOut(base);
        consentAtTheSandbox(browser, authUrl);
        signInToTheDemo(browser, "frank");

        Browser.waiting().until(ExpectedConditions.urlToBe(base + "/settings/integrations"));
        WebElement status = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-tool=sandbox] .badge[data-status=connected]")));
        assertThat(status.getText()).isEqualTo("Connected");
        assertThat(jdbc.queryForList("select user_id from grants where provider = 'sandbox' and user_id = 'frank'", String.class)).containsExactly("frank");
    }

    private String sandboxAuthUrlStartedBy(String base, String user) {
        var session = send(HttpRequest.newBuilder(URI.create(base + "/api/demo/session")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + user + "\"}")).build());
        String jwt = json(session).get("token").asText();
        var authorize = send(HttpRequest.newBuilder(URI.create(base + "/api/buckets/sandbox/authorize")).header("Authorization", "Bearer " + jwt)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        return json(authorize).get("authUrl").asText();
    }

    private static ChromeDriver signedOut(String base) {
        ChromeDriver browser = Browser.driver();
        browser.get(base + "/callback.html#blank");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear(); sessionStorage.clear();");
        return browser;
    }

    private static void consentAtTheSandbox(ChromeDriver browser, String authUrl) {
        browser.get(authUrl);
        WebElement allow = Browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("allow")));
        allow.click();
        Browser.waiting().until(ExpectedConditions.stalenessOf(allow));
    }

    private static void signInToTheDemo(ChromeDriver browser, String user) {
        WebElement userId = Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-id")));
        userId.sendKeys(user);
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    }

    private ChromeDriver signedInToTheDemo(String base, String user) {
        ChromeDriver browser = Browser.driver();
        browser.get(base + "/callback.html#blank");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear(); sessionStorage.clear();");
        browser.get(base + "/onboarding");
        Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-id"))).sendKeys(user);
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        Browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("next")));
        return browser;
    }
}
