package dev.oauthbroker.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.oauthbroker.TestUsers;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium per test JVM, driven through the system chromedriver (Selenium
 * Manager is never asked: it would try the network). Flags as proven in ../shared/STACK.md.
 */
final class Browser {

    private static ChromeDriver driver;

    private Browser() {}

    static synchronized ChromeDriver driver() {
        if (driver == null) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                    .usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
            Runtime.getRuntime().addShutdownHook(new Thread(driver::quit));
        }
        return driver;
    }

    /**
     * Waits up to 15 s, ignoring what a page in mid-navigation answers (a lookup aborted by the
     * navigation, an element of the page being left): the condition is asked again.
     */
    static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver(), Duration.ofSeconds(15));
        wait.ignoring(WebDriverException.class);
        return wait;
    }

    static WebElement waitFor(By locator) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /**
     * Opens a page of the bundled UI as the host does (the user's JWT in the fragment) and waits
     * until it has rendered. Leaves the current page first: were the browser already on that path,
     * a new fragment alone would not load the page again.
     */
    static void openSignedIn(String baseUrl, String path, String user) {
        driver().get("about:blank");
        driver().get(baseUrl + path + "#token=" + TestUsers.jwt(user));
        waitFor(By.cssSelector(path.startsWith("/onboarding") ? "#next" : "#validate-all"));
    }

    static void screenshot(String name) {
        File shot = ((TakesScreenshot) driver()).getScreenshotAs(OutputType.FILE);
        try {
            Path target = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
