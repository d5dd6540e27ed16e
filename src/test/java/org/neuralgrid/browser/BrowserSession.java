package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven by its chromedriver, for the browser tests and the script module tests.
 * Selenium Manager is never consulted: the driver service names its executable and the options name the browser
 * binary, so nothing is looked up or downloaded. {@link #close()} quits the browser and stops the driver.
 */
final class BrowserSession implements AutoCloseable {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    /** Held here: java.util.logging keeps loggers only weakly, and a collected one forgets its level. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium"));

    private final ChromeDriverService service;
    private final WebDriver driver;

    private BrowserSession(ChromeDriverService service, WebDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /**
     * Why the browser tests cannot run here (Chromium or chromedriver missing), or null. With
     * {@code NEURALGRID_REQUIRE_BROWSER=1} a missing browser fails the calling test instead.
     */
    static String missingBrowser() {
        List<String> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p))
                .map(Path::toString).collect(Collectors.toList());
        if (missing.isEmpty()) {
            return null;
        }
        String message = "browser tests need " + String.join(" and ", missing)
                + " (Debian packages chromium and chromium-driver)";
        if ("1".equals(System.getenv("NEURALGRID_REQUIRE_BROWSER"))) {
            fail(message + ", and NEURALGRID_REQUIRE_BROWSER=1 makes them mandatory");
        }
        return message + "; skipped (set NEURALGRID_REQUIRE_BROWSER=1 to make this a failure)";
    }

    /** Skips the calling test class when the browser is missing (fails it where the environment requires one). */
    static void assumeBrowser() {
        String missing = missingBrowser();
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, missing);
    }

    /** A browser with a fresh profile under {@code temp}, a 1400x1000 window, downloads to {@code downloads}. */
    static BrowserSession start(Path temp, Path downloads) throws Exception {
        // never let Selenium Manager look for (or download) a driver or a browser
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        // Selenium warns that it has no CDP bindings for this Chromium; nothing here uses CDP
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(temp.resolve("profile")),
                "--lang=en-US");
        if (downloads != null) {
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", downloads.toString());
            prefs.put("download.prompt_for_download", false);
            prefs.put("download.directory_upgrade", true);
            prefs.put("safebrowsing.enabled", false);
            options.setExperimentalOption("prefs", prefs);
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        WebDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.manage().window().setSize(new Dimension(1400, 1000));
        return new BrowserSession(service, driver);
    }

    static BrowserSession start(Path temp) throws Exception {
        return start(temp, null);
    }

    WebDriver driver() {
        return driver;
    }

    /** What the browser's console logged since the last call. */
    List<LogEntry> consoleLog() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
