package dev.oauthbroker.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A non-admin connects the opt-in Teams channel messages, Microsoft answers AADSTS90094: the
 * callback page says in plain words that an administrator must approve and shows the link to
 * forward; the administrator following it lands on the callback page, thanked, and the tenant is recorded.
 */
@Tag("browser")
class AdminConsentBrowserTests extends BrokerIntegrationTest {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    ChromeDriver browser;

    @BeforeEach
    void freshBrowser() {
        jdbc.execute("truncate admin_consent_requests, admin_consents");
        browser = Browser.driver();
        browser.get(baseUrl() + "/callback.html#blank");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear(); sessionStorage.clear();");
        providers.stubFor(get(urlPathEqualTo("/microsoft/authorize")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", baseUrl() + "/oauth/callback?error=access_denied&error_description=AADSTS90094%3A+The+grant+requires+admin+permission.&state={{request.query.state}}")
                .withTransformers("response-template")));
        providers.stubFor(get(urlPathEqualTo("/microsoft/adminconsent")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", baseUrl() + "/oauth/callback?admin_consent=True&tenant=" + TENANT + "&state={{request.query.state}}")
                .withTransformers("response-template")));
    }

    @AfterEach
    void screenshot() {
        Browser.screenshot("admin-consent");
    }

    @Test
    void aNonAdminIsToldInPlainWordsAndGetsALinkWhoseApprovalRecordsTheTenant() {
        Browser.openSignedIn(baseUrl(), "/settings/integrations", "alice");

        browser.findElement(By.cssSelector("button[aria-label='Connect Teams channel messages']")).click();

        WebElement error = Browser.waitFor(By.id("callback-error"));
        assertThat(error.getText()).startsWith("Your administrator must approve this application before you can connect it")
                .contains("Send your administrator the link below");
        WebElement link = Browser.waitFor(By.id("admin-consent-link"));
        String href = link.getAttribute("href");
        assertThat(href).startsWith(providers.baseUrl() + "/microsoft/adminconsent?client_id=microsoft-client-id&");
        assertThat(URI.create(href).getQuery()).contains("redirect_uri=" + baseUrl() + "/oauth/callback")
                .contains("https://graph.microsoft.com/ChannelMessage.Read.All");
        assertThat(jdbc.queryForObject("select count(*) from admin_consent_requests where user_id = 'alice'", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();

        // the administrator opens the forwarded link (in their own browser; here the same one)
        browser.get(href);

        assertThat(Browser.waitFor(By.id("admin-consent-granted")).getText())
                .isEqualTo("Thank you. Everyone in your organisation can now connect it without asking an administrator.");
        assertThat(jdbc.queryForList("select tenant from admin_consents where provider = 'microsoft'", String.class)).containsExactly(TENANT);
    }
}
