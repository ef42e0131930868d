package dev.oauthbroker.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.OAuthBrokerApplication;
import java.net.URI;
import java.net.http.HttpRequest;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo-only sign-in: present in the demo profile (a second instance here), absent everywhere else. */
class DemoSignInBrowserTests extends BrokerIntegrationTest {

    private static ConfigurableApplicationContext demo;

    @Autowired
    DataSource dataSource;

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.close();
            demo = null;
        }
    }

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
        String base = "http://localhost:" + demoPort();
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

    private int demoPort() {
        if (demo == null) {
            demo = new SpringApplicationBuilder(OAuthBrokerApplication.class).profiles("test", "demo")
                    .run("--spring.datasource.url=" + ((HikariDataSource) dataSource).getJdbcUrl(), "--spring.datasource.username=postgres",
                            "--server.port=0", "--wiremock.base=" + providers.baseUrl(), "--broker.data-dir=target/demo-test-data");
        }
        return ((WebServerApplicationContext) demo).getWebServer().getPort();
    }
}
