package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.HashMap;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.web.Dashboard;
import org.neuralgrid.web.ServerOptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by its chromedriver, against the real
 * server ({@link Dashboard} with the training side) on 127.0.0.1 and a fresh data folder. It starts a small
 * synthetic run from the form, waits for live charts and heatmaps, checks the class labels, scrubs the epoch
 * slider, downloads the weights and reads their safetensors header; it checks that the server's field errors
 * land next to their fields, and that the comparison page draws two runs. The same for a 3D grid: a run from the
 * form with 28x28 sheets, the layer slider, the filmstrip, sheet-shaped weights, and a comparison of a 2D and a 3D
 * run.
 *
 * <p>Without {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} the tests are skipped, unless the
 * environment says {@code NEURALGRID_REQUIRE_BROWSER=1}: then they fail. Selenium Manager is never consulted: the
 * driver service names its executable and the options name the browser binary, so nothing is looked up or
 * downloaded.
 *
 * <p>With {@code -Dneuralgrid.screenshot} (empty or {@code true}: {@code docs/run-page.png} under the working
 * directory; anything else: that path) the finished run's page is saved as a 1400x1000 PNG; with
 * {@code -Dneuralgrid.screenshot3d} the same for a 3D run ({@code docs/run-page-3d.png}).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Held here: java.util.logging keeps loggers only weakly, and a collected one forgets its level. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium"));

    @TempDir
    static Path temp;

    private static Vertx vertx;
    private static Dashboard dashboard;
    private static ChromeDriverService service;
    private static WebDriver driver;
    private static Path downloads;
    private static String base;
    /** Why the browser tests cannot run here, or null. */
    private static String missingBrowser;

    @BeforeAll
    static void start() throws Exception {
        boolean required = "1".equals(System.getenv("NEURALGRID_REQUIRE_BROWSER"));
        List<String> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p))
                .map(Path::toString).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            String message = "browser tests need " + String.join(" and ", missing)
                    + " (Debian packages chromium and chromium-driver)";
            if (required) {
                fail(message + ", and NEURALGRID_REQUIRE_BROWSER=1 makes them mandatory");
            }
            // each test is reported as skipped, with this message (see forgetEarlierConsoleMessages)
            missingBrowser = message + "; skipped (set NEURALGRID_REQUIRE_BROWSER=1 to make this a failure)";
            return;
        }

        Path dataDir = Files.createDirectories(temp.resolve("data"));
        downloads = Files.createDirectories(temp.resolve("downloads"));
        vertx = Vertx.vertx();
        dashboard = Dashboard.start(vertx, new ServerOptions("127.0.0.1", 0, dataDir, null, 1))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + dashboard.port();

        // never let Selenium Manager look for (or download) a driver or a browser
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        // Selenium warns that it has no CDP bindings for this Chromium; nothing here uses CDP
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(temp.resolve("profile")),
                "--lang=en-US");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("download.directory_upgrade", true);
        prefs.put("safebrowsing.enabled", false);
        options.setExperimentalOption("prefs", prefs);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.manage().window().setSize(new Dimension(1400, 1000));
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (dashboard != null) {
            dashboard.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void forgetEarlierConsoleMessages() {
        Assumptions.assumeTrue(missingBrowser == null, missingBrowser);
        consoleLog();
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void aSmallRunFromTheFormShowsChartsHeatmapsAndDownloadsItsWeights() throws Exception {
        driver.get(base + "/");
        waitFor("the new-run form", d -> d.findElement(By.id("run-form")).isDisplayed());
        fillSmallSyntheticRun("browser run");
        driver.findElement(By.id("submit-run")).click();

        waitFor("the run page", d -> d.getCurrentUrl().matches(".*/runs/[0-9a-f]{12}$"));
        String id = driver.getCurrentUrl().replaceAll(".*/runs/", "");

        waitFor("data in the loss and accuracy charts",
                d -> points("loss-chart") >= 1 && points("accuracy-chart") >= 1);
        waitFor("ten heatmaps drawn", d -> heatmaps().size() == 10
                && heatmaps().stream().allMatch(c -> c.getAttribute("data-epoch") != null));
        waitFor("the run to complete", d -> "completed".equals(text(By.id("run-status"))));
        waitFor("all three epochs in the charts",
                d -> points("loss-chart") == 3 && points("accuracy-chart") == 3);
        waitFor("the heatmaps of the last epoch",
                d -> heatmaps().stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));

        // every map is a 16x8 picture (H rows, W columns) with more than one colour
        for (WebElement canvas : heatmaps()) {
            Map<?, ?> info = (Map<?, ?>) js().executeScript(
                    "const c = arguments[0], px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                            + "const seen = new Set();"
                            + "for (let i = 0; i < px.length; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);"
                            + "return {w: c.width, h: c.height, colours: seen.size};", canvas);
            assertEquals(8L, ((Number) info.get("w")).longValue(), "canvas width = grid width W");
            assertEquals(16L, ((Number) info.get("h")).longValue(), "canvas height = grid height H");
            assertTrue(((Number) info.get("colours")).longValue() > 1,
                    "heatmap of class " + canvas.getAttribute("data-class") + " is uniform");
        }

        // the labels are the Fashion-MNIST class names, in label order, under canvases data-class 0..9
        List<WebElement> tiles = driver.findElements(By.cssSelector("#heatmaps .heatmap-tile"));
        assertEquals(10, tiles.size());
        for (int c = 0; c < 10; c++) {
            WebElement tile = tiles.get(c);
            assertEquals(String.valueOf(c), tile.findElement(By.cssSelector("canvas.heatmap")).getAttribute("data-class"));
            assertEquals(Dataset.CLASS_NAMES[c], tile.findElement(By.className("heatmap-label")).getText());
        }

        // one colour scale: the legend shows the frame's min below its max
        double min = Double.parseDouble(driver.findElement(By.className("legend-min")).getAttribute("data-value"));
        double max = Double.parseDouble(driver.findElement(By.className("legend-max")).getAttribute("data-value"));
        assertTrue(min < max, "legend " + min + " .. " + max);

        // the epoch slider fetches older frames on demand: epoch 0 is the map before training
        js().executeScript("const s = document.getElementById('epoch-slider'); s.value = '0';"
                + "s.dispatchEvent(new Event('input', {bubbles: true}));");
        waitFor("the heatmaps of epoch 0",
                d -> heatmaps().stream().allMatch(c -> "0".equals(c.getAttribute("data-epoch"))));
        js().executeScript("const s = document.getElementById('epoch-slider'); s.value = s.max;"
                + "s.dispatchEvent(new Event('input', {bubbles: true}));");
        waitFor("the heatmaps of epoch 3 again",
                d -> heatmaps().stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));

        // the configuration table and the epochs table
        assertTrue(text(By.id("config-table")).contains("synthetic"), text(By.id("config-table")));
        assertEquals(3, driver.findElements(By.cssSelector("#metrics-body tr")).size());

        // weights: a safetensors file whose header names grid.weight with shape (W, H) = [8, 16]
        driver.findElement(By.id("download-weights")).click();
        JsonNode header = safetensorsHeader(waitForDownload(id, ".safetensors"));
        JsonNode grid = header.get("grid.weight");
        assertNotNull(grid, "no grid.weight in " + header);
        assertEquals(List.of(8, 16), shape(grid));
        assertEquals("F32", grid.get("dtype").asText());

        if (System.getProperty("neuralgrid.screenshot") != null) {
            screenshot();
        }
        assertNoConsoleErrors();
    }

    @Test
    void aGridTallerThan512CellsShowsBlockMeansAndSaysSo() throws Exception {
        driver.get(base + "/");
        waitFor("the new-run form", d -> d.findElement(By.id("run-form")).isDisplayed());
        fillSmallSyntheticRun("tall grid");
        setValue("height", "1030");   // blocks of 3 cells: 344 rows, the last block 1 cell
        setValue("width", "3");
        setValue("epochs", "1");
        driver.findElement(By.id("submit-run")).click();
        waitFor("the run page", d -> d.getCurrentUrl().matches(".*/runs/[0-9a-f]{12}$"));
        String id = driver.getCurrentUrl().replaceAll(".*/runs/", "");
        awaitCompleted(id);
        waitFor("ten heatmaps of epoch 1", d -> heatmaps().size() == 10
                && heatmaps().stream().allMatch(c -> "1".equals(c.getAttribute("data-epoch"))));
        WebElement canvas = heatmaps().get(0);
        assertEquals("344", canvas.getAttribute("height"));
        assertEquals("3", canvas.getAttribute("width"));
        String note = text(By.id("axis-note"));
        assertTrue(note.contains("mean of 3×1 cells of the 1030×3 grid"), note);

        new Actions(driver).moveToElement(canvas).perform();
        waitFor("the readout of the block under the pointer", d -> !text(By.id("readout")).isEmpty());
        String readout = text(By.id("readout"));
        assertTrue(readout.matches(".* · cells \\d+–\\d+ of layers? [\\d–]+ \\(mean of the block\\) · .*"), readout);
        assertNoConsoleErrors();
    }

    @Test
    void anEvenKernelShowsTheServersErrorNextToTheKernelField() {
        driver.get(base + "/");
        waitFor("the new-run form", d -> d.findElement(By.id("run-form")).isDisplayed());
        fillSmallSyntheticRun("even kernel");
        setValue("kernel", "4");
        driver.findElement(By.id("submit-run")).click();

        By kernelError = By.cssSelector(".field-error[data-field='kernel']");
        waitFor("the kernel's error", d -> !text(kernelError).isEmpty());
        String message = text(kernelError);
        assertTrue(message.contains("odd"), message);
        assertTrue(driver.findElement(kernelError).isDisplayed());
        // the error sits inside the kernel's own field, and no other field complains
        WebElement field = driver.findElement(By.id("f-kernel")).findElement(By.xpath("./ancestor::div[contains(@class,'field')][1]"));
        assertEquals("kernel", field.findElement(By.className("field-error")).getAttribute("data-field"));
        assertTrue(field.getAttribute("class").contains("invalid"));
        for (WebElement other : driver.findElements(By.cssSelector(".field-error:not([data-field='kernel'])"))) {
            assertEquals("", other.getText(), "unexpected error for " + other.getAttribute("data-field"));
        }
        assertTrue(driver.getCurrentUrl().endsWith("/"), "stayed on the form: " + driver.getCurrentUrl());

        // fixing the field clears its error as the user types
        setValue("kernel", "3");
        assertEquals("", text(kernelError));
        // the refused POST is the only thing the console reports
        assertNoConsoleErrors("/api/runs - Failed to load resource: the server responded with a status of 400");
    }

    @Test
    void theComparisonPageOverlaysCurvesAndShowsHeatmapsOfEveryRun() throws Exception {
        // a name full of markup: every page must show it as text (page data, tables, headers)
        String tricky = "a </script><b>\"x\" & 'y'";
        String a = startRun(tricky, 16, 8);
        String b = startRun("compare b", 12, 6);
        awaitCompleted(a);
        awaitCompleted(b);

        driver.get(base + "/");
        waitFor("both runs in the table", d -> d.findElements(By.cssSelector("#runs-body tr[data-id='" + a + "'],"
                + " #runs-body tr[data-id='" + b + "']")).size() == 2);
        for (String id : List.of(a, b)) {
            driver.findElement(By.cssSelector("#runs-body tr[data-id='" + id + "'] input.run-select")).click();
        }
        assertEquals(tricky, driver.findElement(By.cssSelector("#runs-body tr[data-id='" + a + "'] td.name a")).getText());
        assertEquals(tricky, pageDataName("runs", a), "the name in the index page's data");
        waitFor("the compare button", d -> d.findElement(By.id("compare-button")).isEnabled());
        driver.findElement(By.id("compare-button")).click();

        waitFor("the comparison page", d -> d.getCurrentUrl().contains("/compare?ids="));
        waitFor("both runs in the charts", d -> points("loss-chart") == 3 && points("accuracy-chart") == 3);
        By maps = By.cssSelector("#compare-heatmaps canvas.heatmap");
        waitFor("twenty heatmaps at epoch 3", d -> d.findElements(maps).size() == 20
                && d.findElements(maps).stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));
        List<WebElement> rows = driver.findElements(By.cssSelector("#compare-heatmaps .compare-row"));
        assertEquals(2, rows.size());
        assertEquals(java.util.Set.of(a, b), rows.stream().map(r -> r.getAttribute("data-run"))
                .collect(Collectors.toSet()));
        // each run's maps have its own grid: b is 12x6
        WebElement bMap = driver.findElement(By.cssSelector("#compare-heatmaps .compare-row[data-run='" + b
                + "'] canvas.heatmap"));
        assertEquals(12L, ((Number) js().executeScript("return arguments[0].height;", bMap)).longValue());
        assertEquals(6L, ((Number) js().executeScript("return arguments[0].width;", bMap)).longValue());

        assertEquals(tricky, driver.findElement(By.cssSelector("#compare-runs-body tr[data-id='" + a + "'] a")).getText());
        assertEquals(tricky, pageDataName("runs", a), "the name in the compare page's data");
        assertTrue(driver.findElements(By.cssSelector("main b")).stream().noneMatch(e -> e.getText().contains("\"x\"")));

        // the shared scale across runs shows one legend (checked below, after the run page)
        driver.findElement(By.cssSelector("input[name='scale'][value='shared']")).click();
        waitFor("the shared legend", d -> d.findElements(By.cssSelector("#legend-slot .legend")).stream()
                .anyMatch(WebElement::isDisplayed));
        assertTrue(text(By.id("config-diff")).contains("height"));

        driver.get(base + "/runs/" + a);
        waitFor("the run's name", d -> tricky.equals(text(By.id("run-name"))));
        assertEquals(tricky, js().executeScript(
                "return JSON.parse(document.getElementById('page-data').textContent).run.name;"));
        assertNoConsoleErrors();
    }


    @Test
    void a3dRunFromTheFormShowsItsSheetsLayerByLayerAndDownloadsSheetShapedWeights() throws Exception {
        driver.get(base + "/");
        waitFor("the new-run form", d -> d.findElement(By.id("run-form")).isDisplayed());
        fillSmallSyntheticRun("browser run 3d");
        // 3D: the layers field replaces height and width, and the help speaks of k x k windows
        assertFalse(driver.findElement(By.id("f-layers")).isDisplayed(), "layers shown for a 2D grid");
        new Select(driver.findElement(By.id("f-gridType"))).selectByValue("3d");
        assertTrue(driver.findElement(By.id("f-layers")).isDisplayed());
        assertFalse(driver.findElement(By.id("f-height")).isDisplayed(), "height shown for a 3D grid");
        assertFalse(driver.findElement(By.id("f-width")).isDisplayed(), "width shown for a 3D grid");
        assertTrue(text(By.id("kernel-help")).contains("k×k"), text(By.id("kernel-help")));
        setValue("layers", "4");
        // 2 * 4 * 784 grid weights and biases + 10 * 784 + 10 output weights and biases
        assertTrue(text(By.id("estimate")).startsWith("14,122 parameters"), text(By.id("estimate")));
        driver.findElement(By.id("submit-run")).click();

        waitFor("the run page", d -> d.getCurrentUrl().matches(".*/runs/[0-9a-f]{12}$"));
        String id = driver.getCurrentUrl().replaceAll(".*/runs/", "");
        waitFor("the grid in the header", d -> "28x28x4".equals(text(By.id("meta-grid"))));

        waitFor("data in the loss and accuracy charts",
                d -> points("loss-chart") >= 1 && points("accuracy-chart") >= 1);
        waitFor("ten heatmaps drawn", d -> heatmaps().size() == 10
                && heatmaps().stream().allMatch(c -> c.getAttribute("data-epoch") != null));
        waitFor("the run to complete", d -> "completed".equals(text(By.id("run-status"))));
        waitFor("all three epochs in the charts",
                d -> points("loss-chart") == 3 && points("accuracy-chart") == 3);
        waitFor("the heatmaps of the last epoch",
                d -> heatmaps().stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));

        // each tile is one 28x28 sheet of the first layer, under its class's name
        assertTrue(driver.findElement(By.id("layer-slider")).isDisplayed(), "no layer slider");
        assertEquals("layer 1 of 4", text(By.id("layer-label")));
        List<WebElement> tiles = driver.findElements(By.cssSelector("#heatmaps .heatmap-tile"));
        assertEquals(10, tiles.size());
        for (int c = 0; c < 10; c++) {
            WebElement canvas = tiles.get(c).findElement(By.cssSelector("canvas.heatmap"));
            assertEquals(String.valueOf(c), canvas.getAttribute("data-class"));
            assertEquals("0", canvas.getAttribute("data-layer"));
            assertEquals(Dataset.CLASS_NAMES[c], tiles.get(c).findElement(By.className("heatmap-label")).getText());
            Map<?, ?> info = pixels(canvas);
            assertEquals(28L, ((Number) info.get("w")).longValue(), "sheet width");
            assertEquals(28L, ((Number) info.get("h")).longValue(), "sheet height");
            assertTrue(((Number) info.get("colours")).longValue() > 1, "sheet of class " + c + " is uniform");
        }
        double min = Double.parseDouble(driver.findElement(By.className("legend-min")).getAttribute("data-value"));
        double max = Double.parseDouble(driver.findElement(By.className("legend-max")).getAttribute("data-value"));
        assertTrue(min < max, "legend " + min + " .. " + max);

        // the layer slider draws another layer of the same frame
        List<String> first = heatmaps().stream().map(c -> (String) pixels(c).get("hash")).collect(Collectors.toList());
        js().executeScript("const s = document.getElementById('layer-slider'); s.value = '2';"
                + "s.dispatchEvent(new Event('input', {bubbles: true}));");
        waitFor("the sheets of layer 3", d -> heatmaps().stream().allMatch(c -> "2".equals(c.getAttribute("data-layer"))
                && "3".equals(c.getAttribute("data-epoch"))));
        assertEquals("layer 3 of 4", text(By.id("layer-label")));
        List<String> third = heatmaps().stream().map(c -> (String) pixels(c).get("hash")).collect(Collectors.toList());
        for (int c = 0; c < 10; c++) {
            assertFalse(first.get(c).equals(third.get(c)), "class " + c + ": layer 3 drawn like layer 1");
        }

        // the epoch slider keeps the layer
        js().executeScript("const s = document.getElementById('epoch-slider'); s.value = '0';"
                + "s.dispatchEvent(new Event('input', {bubbles: true}));");
        waitFor("the sheets of layer 3 at epoch 0", d -> heatmaps().stream().allMatch(
                c -> "0".equals(c.getAttribute("data-epoch")) && "2".equals(c.getAttribute("data-layer"))));

        // the filmstrip: per class all four sheets side by side; a click on a sheet picks its layer
        driver.findElement(By.cssSelector("input[name='view'][value='filmstrip']")).click();
        By strips = By.cssSelector("#filmstrip canvas.heatmap-strip");
        waitFor("ten filmstrips", d -> d.findElements(strips).size() == 10
                && d.findElements(strips).stream().allMatch(c -> "0".equals(c.getAttribute("data-epoch"))));
        assertFalse(driver.findElement(By.id("heatmaps")).isDisplayed(), "tiles shown beside the filmstrip");
        WebElement strip = driver.findElements(strips).get(1);
        Map<?, ?> stripInfo = pixels(strip);
        assertEquals(4L * 28 + 3 * 2, ((Number) stripInfo.get("w")).longValue(), "four sheets and three gaps");
        assertEquals(28L, ((Number) stripInfo.get("h")).longValue());
        // the middle of the fourth sheet: 3 sheets and 3 gaps of 2 canvas pixels, then half a sheet
        double scale = strip.getSize().getWidth() / (4.0 * 28 + 3 * 2);
        new Actions(driver)
                .moveToElement(strip, (int) Math.round((3 * 30 + 14) * scale - strip.getSize().getWidth() / 2.0), 0)
                .click().perform();
        waitFor("layer 4 picked in the filmstrip", d -> "layer 4 of 4".equals(text(By.id("layer-label"))));
        assertTrue(text(By.id("readout")).contains("layer 4 of 4"), text(By.id("readout")));
        driver.findElement(By.cssSelector("input[name='view'][value='layer']")).click();
        waitFor("the tiles of layer 4", d -> d.findElement(By.id("heatmaps")).isDisplayed()
                && heatmaps().stream().allMatch(c -> "3".equals(c.getAttribute("data-layer"))));

        // the configuration names the grid type and the layers, not the unused height and width
        String config = text(By.id("config-table"));
        assertTrue(config.contains("grid type") && config.contains("3d"), config);
        assertTrue(config.contains("layers L") && config.contains("4 (sheets"), config);
        assertFalse(config.contains("grid height"), config);

        // weights: grid tensors of shape (L, 28, 28), the output layer reads the last sheet, no dense input layer
        driver.findElement(By.id("download-weights")).click();
        Path weights = waitForDownload(id, ".safetensors");
        assertTrue(weights.getFileName().toString().contains("28x28x4"), weights.getFileName().toString());
        JsonNode header = safetensorsHeader(weights);
        assertNotNull(header.get("grid.weight"), "no grid.weight in " + header);
        assertEquals(List.of(4, 28, 28), shape(header.get("grid.weight")));
        assertEquals(List.of(4, 28, 28), shape(header.get("grid.bias")));
        assertEquals(List.of(10, 784), shape(header.get("linear_out.weight")));
        assertEquals("F32", header.get("grid.weight").get("dtype").asText());
        assertTrue(header.get("linear_in.weight") == null, "a 3D grid has no linear_in.weight: " + header);

        if (System.getProperty("neuralgrid.screenshot3d") != null) {
            screenshot3d();
        }
        assertNoConsoleErrors();
    }

    @Test
    void tooManyLayersShowTheServersErrorNextToTheLayersField() {
        driver.get(base + "/");
        waitFor("the new-run form", d -> d.findElement(By.id("run-form")).isDisplayed());
        fillSmallSyntheticRun("too many layers");
        new Select(driver.findElement(By.id("f-gridType"))).selectByValue("3d");
        setValue("layers", "2000");
        driver.findElement(By.id("submit-run")).click();

        By layersError = By.cssSelector(".field-error[data-field='layers']");
        waitFor("the layers' error", d -> !text(layersError).isEmpty());
        assertTrue(text(layersError).contains("1024"), text(layersError));
        WebElement field = driver.findElement(By.id("f-layers")).findElement(By.xpath("./ancestor::div[contains(@class,'field')][1]"));
        assertEquals("layers", field.findElement(By.className("field-error")).getAttribute("data-field"));
        assertTrue(field.getAttribute("class").contains("invalid"));
        for (WebElement other : driver.findElements(By.cssSelector(".field-error:not([data-field='layers'])"))) {
            assertEquals("", other.getText(), "unexpected error for " + other.getAttribute("data-field"));
        }
        assertTrue(driver.findElement(By.cssSelector(".field-error[data-field='gridType']")).getText().isEmpty());
        assertTrue(driver.getCurrentUrl().endsWith("/"), "stayed on the form: " + driver.getCurrentUrl());
        // back to 2D: height and width return, layers go
        new Select(driver.findElement(By.id("f-gridType"))).selectByValue("2d");
        assertTrue(driver.findElement(By.id("f-height")).isDisplayed());
        assertFalse(driver.findElement(By.id("f-layers")).isDisplayed());
        assertNoConsoleErrors("/api/runs - Failed to load resource: the server responded with a status of 400");
    }

    @Test
    void theComparisonPageShowsA2dAndA3dRunAndItsLayerSliderMovesOnlyThe3dOne() throws Exception {
        String flat = startRun("compare 2d", 16, 8);
        String deep = startRun("compare 3d", "{\"gridType\":\"3d\",\"layers\":3,\"dataset\":\"synthetic\","
                + "\"samples\":512,\"testSamples\":128,\"batch\":64,\"epochs\":3,\"lr\":0.003,\"backend\":\"java\","
                + "\"threads\":1}");
        awaitCompleted(flat);
        awaitCompleted(deep);

        driver.get(base + "/compare?ids=" + flat + "," + deep);
        waitFor("both runs in the charts", d -> points("loss-chart") == 3 && points("accuracy-chart") == 3);
        By maps = By.cssSelector("#compare-heatmaps canvas.heatmap");
        waitFor("twenty heatmaps at epoch 3", d -> d.findElements(maps).size() == 20
                && d.findElements(maps).stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));
        By flatMaps = By.cssSelector("#compare-heatmaps .compare-row[data-run='" + flat + "'] canvas.heatmap");
        By deepMaps = By.cssSelector("#compare-heatmaps .compare-row[data-run='" + deep + "'] canvas.heatmap");
        assertTrue(driver.findElement(By.id("layer-slider")).isDisplayed(), "no layer slider for the 3D run");
        assertEquals("layer 1 of 3", text(By.id("layer-label")));
        assertTrue(driver.findElements(deepMaps).stream().allMatch(c -> "0".equals(c.getAttribute("data-layer"))));
        assertTrue(driver.findElements(flatMaps).stream().allMatch(c -> c.getAttribute("data-layer") == null));
        WebElement flatMap = driver.findElements(flatMaps).get(0);
        WebElement deepMap = driver.findElements(deepMaps).get(0);
        assertEquals(List.of(8L, 16L), List.of(((Number) pixels(flatMap).get("w")).longValue(),
                ((Number) pixels(flatMap).get("h")).longValue()));
        assertEquals(28L, ((Number) pixels(deepMap).get("w")).longValue());
        String flatBefore = (String) pixels(flatMap).get("hash");
        String deepBefore = (String) pixels(deepMap).get("hash");

        js().executeScript("const s = document.getElementById('layer-slider'); s.value = '2';"
                + "s.dispatchEvent(new Event('input', {bubbles: true}));");
        waitFor("the 3D run's third layer", d -> d.findElements(deepMaps).stream()
                .allMatch(c -> "2".equals(c.getAttribute("data-layer"))));
        assertEquals("layer 3 of 3", text(By.id("layer-label")));
        assertFalse(deepBefore.equals(pixels(deepMap).get("hash")), "the 3D run's map did not change");
        assertEquals(flatBefore, pixels(flatMap).get("hash"), "the 2D run's map changed with the layer");
        assertTrue(driver.findElements(flatMaps).stream().allMatch(c -> c.getAttribute("data-layer") == null));

        // one scale across both runs still works
        driver.findElement(By.cssSelector("input[name='scale'][value='shared']")).click();
        waitFor("the shared legend", d -> d.findElements(By.cssSelector("#legend-slot .legend")).stream()
                .anyMatch(WebElement::isDisplayed));
        String diff = text(By.id("config-diff"));
        assertTrue(diff.contains("gridType") && diff.contains("layers"), diff);
        assertNoConsoleErrors();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The name of a run as the server rendered it into the page's JSON data block (null when absent). */
    private static String pageDataName(String list, String id) {
        return (String) js().executeScript("const d = JSON.parse(document.getElementById('page-data').textContent);"
                + "const r = (d[arguments[0]] || []).find(x => x && x.id === arguments[1]); return r ? r.name : null;",
                list, id);
    }

    private static void fillSmallSyntheticRun(String name) {
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

    private static void setValue(String field, String value) {
        WebElement input = driver.findElement(By.id("f-" + field));
        input.clear();
        input.sendKeys(value);
        assertEquals(value, input.getAttribute("value"), field);
    }

    private static List<WebElement> heatmaps() {
        return driver.findElements(By.cssSelector("#heatmaps canvas.heatmap"));
    }

    private static int points(String chartId) {
        String v = driver.findElement(By.id(chartId)).getAttribute("data-points");
        return v == null ? 0 : Integer.parseInt(v);
    }

    private static String text(By by) {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText().trim();
    }

    private static JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }

    private static List<Integer> shape(JsonNode tensor) {
        List<Integer> shape = new ArrayList<>();
        tensor.get("shape").forEach(n -> shape.add(n.asInt()));
        return shape;
    }

    /** Waits up to a minute; a timeout fails with what the page said and what its console logged. */
    private static void waitFor(String what, Function<WebDriver, Boolean> condition) {
        try {
            new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).until(condition::apply);
        } catch (TimeoutException e) {
            fail("timed out waiting for " + what + " on " + driver.getCurrentUrl() + "\nnotice: "
                    + text(By.id("notice")) + "\nstatus: " + text(By.id("run-status")) + "\nconsole:\n"
                    + consoleLog().stream().map(LogEntry::toString).collect(Collectors.joining("\n")));
        }
    }

    /** A canvas's size, its number of distinct colours and a hash of its pixels. */
    private static Map<?, ?> pixels(WebElement canvas) {
        return (Map<?, ?>) js().executeScript(
                "const c = arguments[0], px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "const seen = new Set(); let h = 2166136261;"
                        + "for (let i = 0; i < px.length; i += 4) {"
                        + "  const v = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2]; seen.add(v);"
                        + "  h = Math.imul(h ^ v, 16777619) >>> 0; }"
                        + "return {w: c.width, h: c.height, colours: seen.size, hash: String(h)};", canvas);
    }

    /** The JSON header of a safetensors file. */
    private static JsonNode safetensorsHeader(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 8, "weights file of " + bytes.length + " bytes");
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(headerLength > 0 && headerLength <= bytes.length - 8, "header length " + headerLength);
        return JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    }

    /** A finished download whose name holds the run's id (the tests share one download folder). */
    private static Path waitForDownload(String id, String suffix) throws IOException, InterruptedException {
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

    private static List<LogEntry> consoleLog() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** No errors in the browser's console since the last look, but those containing one of the expected texts. */
    private static void assertNoConsoleErrors(String... expected) {
        List<String> severe = consoleLog().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> Stream.of(expected).noneMatch(m::contains))
                .collect(Collectors.toList());
        assertEquals(List.of(), severe, "errors in the browser console");
    }

    private static String startRun(String name, int height, int width) throws Exception {
        return startRun(name, "{\"dataset\":\"synthetic\",\"samples\":512,\"testSamples\":128,\"height\":" + height
                + ",\"width\":" + width + ",\"batch\":64,\"epochs\":3,\"lr\":0.003,\"backend\":\"java\",\"threads\":1}");
    }

    private static String startRun(String name, String config) throws Exception {
        String body = "{\"name\":" + JSON.writeValueAsString(name) + ",\"config\":" + config + "}";
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static void awaitCompleted(String id) throws Exception {
        awaitCompleted(id, WAIT);
    }

    private static void awaitCompleted(String id, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            status = JSON.readTree(r.body()).path("status").asText();
            if (status.equals("completed")) {
                return;
            }
            assertFalse(status.equals("failed") || status.equals("cancelled"), r.body());
            Thread.sleep(100);
        }
        fail("run " + id + " did not complete; last status " + status);
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The page of a finished 2D run at 1400x1000 (docs/run-page.png), for the README. */
    private static void screenshot() throws Exception {
        screenshotOfRun("neuralgrid.screenshot", "run-page.png", "synthetic 32x32, sine, lr 1e-4",
                "{\"dataset\":\"synthetic\",\"samples\":8192,\"testSamples\":1024,\"height\":32,\"width\":32,"
                        + "\"batch\":64,\"epochs\":30,\"lr\":0.0001,\"backend\":\"java\"}", 30);
    }

    /** The page of a finished 3D run at 1400x1000 (docs/run-page-3d.png). */
    private static void screenshot3d() throws Exception {
        screenshotOfRun("neuralgrid.screenshot3d", "run-page-3d.png", "synthetic 28x28x8, sine, lr 1e-3",
                "{\"gridType\":\"3d\",\"layers\":8,\"dataset\":\"synthetic\",\"samples\":8192,"
                        + "\"testSamples\":1024,\"batch\":64,\"epochs\":20,\"lr\":0.001,\"backend\":\"java\"}", 20);
    }

    /**
     * Trains a run of its own (larger than the tests' ones, so that the curves and maps have something to show)
     * and saves its finished page at a 1400x1000 viewport to docs/{file}, or to the path the property names.
     */
    private static void screenshotOfRun(String property, String file, String name, String config, int epochs)
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

    private static void savePng(Path target) throws IOException {
        byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, png);
        assertTrue(target.toFile().length() > 0);
        System.out.println("screenshot: " + target.toAbsolutePath());
    }
}
