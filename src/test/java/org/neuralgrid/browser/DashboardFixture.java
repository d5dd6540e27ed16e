package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.cluster.Membership;
import org.neuralgrid.cluster.NodeVerticle;
import org.neuralgrid.web.Dashboard;
import org.neuralgrid.web.ServerOptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the dashboard's browser tests share: the real server ({@link Dashboard} with the training side, one run
 * training at a time) on 127.0.0.1 with a fresh data folder, a headless Chromium ({@link BrowserSession}) with a
 * download folder, both started once per test class and stopped after it, and the helpers the tests read the pages
 * with. Without Chromium each test is skipped with the reason, unless {@code NEURALGRID_REQUIRE_BROWSER=1}: then
 * they fail.
 */
abstract class DashboardFixture {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    static Vertx vertx;
    static Dashboard dashboard;
    static BrowserSession browser;
    static WebDriver driver;
    static Path downloads;
    static String base;
    /** Why the browser tests cannot run here, or null. */
    static String missingBrowser;

    @BeforeAll
    static void startDashboard() throws Exception {
        missingBrowser = BrowserSession.missingBrowser();
        if (missingBrowser != null) {
            return; // each test is reported as skipped, with this message (see forgetEarlierConsoleMessages)
        }
        Path dataDir = Files.createDirectories(temp.resolve("data"));
        downloads = Files.createDirectories(temp.resolve("downloads"));
        vertx = Vertx.vertx();
        dashboard = Dashboard.start(vertx, new ServerOptions("127.0.0.1", 0, dataDir, null, 1))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        // as `serve` does: the dashboard's node verticle answers /api/nodes, which the page's nodes panel polls
        vertx.deployVerticle(new NodeVerticle(NodeBus.DASHBOARD, "127.0.0.1", Membership.alone(),
                Duration.ofSeconds(1), null)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + dashboard.port();
        browser = BrowserSession.start(temp, downloads);
        driver = browser.driver();
    }

    @AfterAll
    static void stopDashboard() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
            if (dashboard != null) {
                dashboard.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            browser = null;
            driver = null;
            dashboard = null;
            vertx = null;
        }
    }

    @BeforeEach
    void forgetEarlierConsoleMessages() {
        Assumptions.assumeTrue(missingBrowser == null, missingBrowser);
        consoleLog();
    }

    // ------------------------------------------------------------------------------------------------ the form

    static void openTheForm() {
        driver.get(base + "/");
        waitFor("the new-run form", d -> d.findElement(By.id("run-form")).isDisplayed());
    }

    static void fillSmallSyntheticRun(String name) {
        new Select(driver.findElement(By.id("f-dataset"))).selectByValue("synthetic");
        setValue("name", name);
        setValue("samples", "512");
        setValue("testSamples", "128");
        setValue("height", "16");
        setValue("width", "8");
        setValue("batch", "64");
        setValue("epochs", "3");
        setValue("lr", "0.003");
        setValue("threads", "1");
        new Select(driver.findElement(By.id("f-backend"))).selectByValue("java");
    }

    static void setValue(String field, String value) {
        WebElement input = driver.findElement(By.id("f-" + field));
        input.clear();
        input.sendKeys(value);
        assertEquals(value, input.getAttribute("value"), field);
    }

    /** Submits the form and waits for the new run's page; returns the run's id. */
    static String submitAndOpenTheRun() {
        driver.findElement(By.id("submit-run")).click();
        waitFor("the run page", d -> d.getCurrentUrl().matches(".*/runs/[0-9a-f]{12}$"));
        return driver.getCurrentUrl().replaceAll(".*/runs/", "");
    }

    // ------------------------------------------------------------------------------------------------ reading pages

    static List<WebElement> heatmaps() {
        return driver.findElements(By.cssSelector("#heatmaps canvas.heatmap"));
    }

    static int points(String chartId) {
        String v = driver.findElement(By.id(chartId)).getAttribute("data-points");
        return v == null ? 0 : Integer.parseInt(v);
    }

    /** The visible text of the first element found ("" when none); read again when the page replaced it meanwhile. */
    static String text(By by) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<WebElement> found = driver.findElements(by);
                return found.isEmpty() ? "" : found.get(0).getText().trim();
            } catch (StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    static JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }

    /** The name of a run as the server rendered it into the page's JSON data block (null when absent). */
    static String pageDataName(String list, String id) {
        return (String) js().executeScript("const d = JSON.parse(document.getElementById('page-data').textContent);"
                + "const r = (d[arguments[0]] || []).find(x => x && x.id === arguments[1]); return r ? r.name : null;",
                list, id);
    }

    /** Marks the page, so that a test can tell later that it was not reloaded. */
    static void markThePage() {
        js().executeScript("window.__notReloaded = true;");
    }

    static boolean stillTheMarkedPage() {
        return Boolean.TRUE.equals(js().executeScript("return window.__notReloaded === true;"));
    }

    /** The addresses this page fetched (scripts, API calls, heatmaps) whose path contains {@code part}. */
    static List<String> fetched(String part) {
        List<?> names = (List<?>) js().executeScript("return performance.getEntriesByType('resource')"
                + ".map(e => new URL(e.name).pathname).filter(p => p.includes(arguments[0]));", part);
        return names.stream().map(String::valueOf).collect(Collectors.toList());
    }

    /** Sets a slider's value and tells the page, as a user's drag would. */
    static void slide(String id, String value) {
        js().executeScript("const s = document.getElementById(arguments[0]); s.value = arguments[1] === 'max' ? s.max"
                + " : arguments[1]; s.dispatchEvent(new Event('input', {bubbles: true}));", id, value);
    }

    static List<Integer> shape(JsonNode tensor) {
        List<Integer> shape = new ArrayList<>();
        tensor.get("shape").forEach(n -> shape.add(n.asInt()));
        return shape;
    }

    /** Waits up to a minute; a timeout fails with what the page said and what its console logged. */
    static void waitFor(String what, Function<WebDriver, Boolean> condition) {
        try {
            new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (TimeoutException e) {
            fail("timed out waiting for " + what + " on " + driver.getCurrentUrl() + "\nnotice: "
                    + text(By.id("notice")) + "\nstatus: " + text(By.id("run-status")) + "\nconsole:\n"
                    + consoleLog().stream().map(LogEntry::toString).collect(Collectors.joining("\n")));
        }
    }

    /** A canvas's size, its number of distinct colours and a hash of its pixels. */
    static Map<?, ?> pixels(WebElement canvas) {
        return (Map<?, ?>) js().executeScript(
                "const c = arguments[0], px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "const seen = new Set(); let h = 2166136261;"
                        + "for (let i = 0; i < px.length; i += 4) {"
                        + "  const v = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2]; seen.add(v);"
                        + "  h = Math.imul(h ^ v, 16777619) >>> 0; }"
                        + "return {w: c.width, h: c.height, colours: seen.size, hash: String(h)};", canvas);
    }

    /** The JSON header of a safetensors file. */
    static JsonNode safetensorsHeader(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 8, "weights file of " + bytes.length + " bytes");
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(headerLength > 0 && headerLength <= bytes.length - 8, "header length " + headerLength);
        return JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    }

    /** A finished download whose name holds the run's id (the tests share one download folder). */
    static Path waitForDownload(String id, String suffix) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> done = files.filter(p -> p.getFileName().toString().endsWith(suffix)
                                && p.getFileName().toString().contains(id))
                        .collect(Collectors.toList());
                if (!done.isEmpty() && Files.size(done.get(0)) > 0) {
                    return done.get(0);
                }
            }
            Thread.sleep(100);
        }
        try (Stream<Path> files = Files.list(downloads)) {
            fail("no " + suffix + " download in " + downloads + "; found " + files.collect(Collectors.toList()));
        }
        return null;
    }

    static List<LogEntry> consoleLog() {
        return browser == null ? List.of() : browser.consoleLog();
    }

    /** No errors in the browser's console since the last look, but those containing one of the expected texts. */
    static void assertNoConsoleErrors(String... expected) {
        List<String> severe = consoleLog().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> Stream.of(expected).noneMatch(m::contains))
                .collect(Collectors.toList());
        assertEquals(List.of(), severe, "errors in the browser console");
    }

    // ------------------------------------------------------------------------------------------------ the API

    /** A small synthetic 2D run of 3 epochs on the Java backend. */
    static String startRun(String name, int height, int width) throws Exception {
        return startRun(name, smallRun(height, width, 3));
    }

    /** The configuration of a small synthetic 2D run on one Java thread. */
    static String smallRun(int height, int width, int epochs) {
        return "{\"dataset\":\"synthetic\",\"samples\":512,\"testSamples\":128,\"height\":" + height + ",\"width\":"
                + width + ",\"batch\":64,\"epochs\":" + epochs + ",\"lr\":0.003,\"backend\":\"java\",\"threads\":1}";
    }

    static String startRun(String name, String config) throws Exception {
        String body = "{\"name\":" + JSON.writeValueAsString(name) + ",\"config\":" + config + "}";
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** The run's summary as the API answers it. */
    static JsonNode summary(String id) throws Exception {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Cancels a run that is still queued or running (a finished one is left as it is). */
    static void cancel(String id) throws Exception {
        http().send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void awaitStatus(String id, String wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            status = summary(id).path("status").asText();
            if (status.equals(wanted)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("run " + id + " never was " + wanted + "; last status " + status);
    }

    static void awaitCompleted(String id) throws Exception {
        awaitCompleted(id, WAIT);
    }

    static void awaitCompleted(String id, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            JsonNode run = summary(id);
            status = run.path("status").asText();
            if (status.equals("completed")) {
                return;
            }
            assertFalse(status.equals("failed") || status.equals("cancelled"), run.toString());
            Thread.sleep(100);
        }
        fail("run " + id + " did not complete; last status " + status);
    }

    static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    // ------------------------------------------------------------------------------------------------ screenshots

    /**
     * Trains a run of its own (larger than the tests' ones, so that the curves and maps have something to show)
     * and saves its finished page at a 1400x1000 viewport to docs/{file}, or to the path the property names.
     */
    static void screenshotOfRun(String property, String file, String name, String config, int epochs)
            throws Exception {
        String value = System.getProperty(property, "");
        Path target = value.isBlank() || value.equals("true")
                ? Paths.get(System.getProperty("user.dir"), "docs", file) : Paths.get(value);
        String id = startRun(name, config);
        awaitCompleted(id, Duration.ofMinutes(3));
        driver.get(base + "/runs/" + id);
        // a viewport (not a window) of 1400x1000: add what the window's frame takes
        Map<?, ?> frame = (Map<?, ?>) js().executeScript("return {w: window.outerWidth - window.innerWidth,"
                + " h: window.outerHeight - window.innerHeight};");
        driver.manage().window().setSize(new Dimension(1400 + ((Number) frame.get("w")).intValue(),
                1000 + ((Number) frame.get("h")).intValue()));
        waitFor("the charts", d -> points("loss-chart") == epochs && points("accuracy-chart") == epochs);
        String last = String.valueOf(epochs);
        waitFor("the heatmaps", d -> heatmaps().stream().allMatch(c -> last.equals(c.getAttribute("data-epoch"))));
        js().executeScript("window.scrollTo(0, 0)");
        Thread.sleep(300);
        savePng(target);
    }

    static void savePng(Path target) throws IOException {
        byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, png);
        assertTrue(target.toFile().length() > 0);
        System.out.println("screenshot: " + target.toAbsolutePath());
    }
}
