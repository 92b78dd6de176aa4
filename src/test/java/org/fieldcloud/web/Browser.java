package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Debian's chromedriver (never Selenium Manager, which would go to the network).
 * Missing browser or driver is a test failure with the command that fixes it, never a skip.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("docs", "screenshots");
    static final Dimension DESKTOP = new Dimension(1280, 800);
    static final Dimension PHONE = new Dimension(390, 844);

    final ChromeDriver driver;
    final String base;

    Browser(String base) {
        assertThat(Files.isExecutable(CHROMIUM)).as("the browser tests need Debian's chromium at " + CHROMIUM
                + ": apt-get install -y chromium chromium-driver").isTrue();
        assertThat(Files.isExecutable(DRIVER)).as("the browser tests need Debian's chromedriver at " + DRIVER
                + ": apt-get install -y chromium chromium-driver").isTrue();
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        this.driver = new ChromeDriver(service, options);
        this.base = base;
        driver.manage().window().setSize(DESKTOP);
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(String css) {
        return until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Clicks a button or link by its visible text. */
    void press(String text) {
        until(ExpectedConditions.elementToBeClickable(By.xpath("//*[self::button or self::a or self::summary][normalize-space(.)='" + text + "']")))
                .click();
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    String source() {
        return driver.getPageSource();
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    <T> T until(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(condition);
    }

    void signIn(String login, String password) {
        open("/");
        type("#login", login);
        type("#password", password);
        press("Sign in");
        until(ExpectedConditions.urlContains("/projects"));
    }

    /** The current page at desktop and phone widths, into docs/screenshots/NAME-desktop.png and NAME-phone.png. */
    void screenshots(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            for (var size : new Object[][] {{DESKTOP, "desktop"}, {PHONE, "phone"}}) {
                driver.manage().window().setSize((Dimension) size[0]);
                Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, SCREENSHOTS.resolve(name + "-" + size[1] + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
            driver.manage().window().setSize(DESKTOP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
