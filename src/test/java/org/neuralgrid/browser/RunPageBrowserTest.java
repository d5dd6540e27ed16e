package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuralgrid.data.Dataset;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The run page in a real browser ({@link DashboardFixture}): a small synthetic run started from the form, its live
 * charts and heatmaps, the class labels, the epoch slider, the weights download and their safetensors header; a
 * grid whose maps are block means; a 3D run with its layer slider, filmstrip and sheet-shaped weights; and a queued
 * run whose header (backend, device) fills in from the WebSocket's summary events.
 *
 * <p>With {@code -Dneuralgrid.screenshot} (empty or {@code true}: {@code docs/run-page.png} under the working
 * directory; anything else: that path) the finished run's page is saved as a 1400x1000 PNG; with
 * {@code -Dneuralgrid.screenshot3d} the same for a 3D run ({@code docs/run-page-3d.png}).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunPageBrowserTest extends DashboardFixture {

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

        // no validation set: train and test curves and columns only, the best epoch chosen on test, and said so
        assertEquals("2", driver.findElement(By.id("loss-chart")).getAttribute("data-series"));
        assertEquals(List.of("train", "test"), legendEntries("loss-chart"));
        assertFalse(headerCells().stream().anyMatch(h -> h.startsWith("Val.")), headerCells().toString());
        JsonNode run = summary(id);
        assertEquals("test", run.path("selectedBy").asText());
        String best = run.path("bestEpoch").asText();
        waitFor("the best epoch marked", d -> best.equals(bestRowEpoch()));
        String note = text(By.id("best-note"));
        assertTrue(note.contains("chosen on test accuracy, as the 2021 write-up did")
                && note.contains("hold out a validation set for an honest one"), note);

        // weights: a safetensors file whose header names grid.weight with shape (W, H) = [8, 16]
        assertEquals("Weights (final)", text(By.cssSelector("#download-weights .label")));
        driver.findElement(By.id("download-weights")).click();
        JsonNode header = safetensorsHeader(waitForDownload(id, "-final.safetensors"));
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
        waitFor("the server's estimate", d -> text(By.id("estimate")).startsWith("14,122 parameters"));
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
        assertEquals("diverging", strip.getAttribute("data-colours"), "a sine run's strips");
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
        String lower = config.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("grid type") && config.contains("3d"), config);
        assertTrue(lower.contains("layers l") && config.contains("4 sheets of 28×28"), config);
        assertFalse(lower.contains("height h"), config);

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
    void aRunWithAValidationSetShowsValidationCurvesItsBestEpochAndBothWeights() throws Exception {
        String id = startRun("validation run", smallRun(16, 8, 3).replace("}", ",\"validation\":128}"));
        awaitCompleted(id);
        JsonNode run = summary(id);
        assertEquals("validation", run.path("selectedBy").asText());
        assertTrue(run.path("weights").path("final").asBoolean() && run.path("weights").path("best").asBoolean(),
                run.toString());
        String best = run.path("bestEpoch").asText();
        driver.get(base + "/runs/" + id);

        // train, validation and test curves, the best epoch marked on both charts
        for (String chart : List.of("loss-chart", "accuracy-chart")) {
            waitFor("three curves of three epochs in " + chart, d -> points(chart) == 3
                    && "3".equals(d.findElement(By.id(chart)).getAttribute("data-series")));
            assertEquals(List.of("train", "validation", "test"), legendEntries(chart));
            assertEquals(best, driver.findElement(By.id(chart)).getAttribute("data-markers"), chart);
        }

        // the epochs table: validation columns, the best epoch's row marked with a badge
        assertEquals(List.of("Epoch", "Train loss", "Train acc.", "Val. loss", "Val. acc.", "Test loss", "Test acc.",
                "LR", "Seconds", "Samples/s"), headerCells());
        waitFor("the best epoch marked", d -> best.equals(bestRowEpoch()));
        assertEquals(1, driver.findElements(By.cssSelector("#metrics-body tr.best")).size());
        WebElement bestRow = driver.findElement(By.cssSelector("#metrics-body tr.best"));
        assertEquals("best", bestRow.findElement(By.className("badge-best")).getAttribute("textContent"));
        assertEquals(10, bestRow.findElements(By.tagName("td")).size());
        assertTrue(bestRow.findElements(By.tagName("td")).get(4).getText().endsWith("%"), "validation accuracy");

        // the stats name the best epoch and what chose it
        String key = driver.findElement(By.id("stat-best-key")).getAttribute("textContent");
        assertEquals("best epoch " + best + " · test acc.", key);
        assertEquals(String.format(Locale.ROOT, "%.2f %%", run.path("bestTestAccuracy").asDouble() * 100),
                text(By.id("stat-best")));
        assertEquals("Best epoch chosen on validation accuracy.", text(By.id("best-note")));

        // both weights: the final ones and the best epoch's, each named for what it is
        assertEquals("Weights (final)", text(By.cssSelector("#download-weights .label")));
        assertEquals("Weights (best, epoch " + best + ")", text(By.cssSelector("#download-best .label")));
        driver.findElement(By.id("download-weights")).click();
        Path last = waitForDownload(id, "-final.safetensors");
        driver.findElement(By.id("download-best")).click();
        Path chosen = waitForDownload(id, "-best.safetensors");
        assertTrue(last.getFileName().toString().equals("neuralgrid-" + id + "-16x8-final.safetensors"), last.toString());
        assertTrue(chosen.getFileName().toString().equals("neuralgrid-" + id + "-16x8-best.safetensors"),
                chosen.toString());
        for (Path weights : List.of(last, chosen)) {
            assertEquals(List.of(8, 16), shape(safetensorsHeader(weights).get("grid.weight")), weights.toString());
        }

        // the runs table: the best epoch's test accuracy, its title naming the epoch and what chose it
        openTheForm();
        By cell = By.cssSelector("#runs-body tr[data-id='" + id + "'] td.best");
        waitFor("the run in the runs table", d -> !d.findElements(cell).isEmpty());
        assertEquals(String.format(Locale.ROOT, "%.2f %%", run.path("bestTestAccuracy").asDouble() * 100), text(cell));
        assertEquals("the test accuracy of epoch " + best + "; best epoch chosen on validation accuracy",
                driver.findElement(cell).getAttribute("title"));
        assertNoConsoleErrors();
    }

    @Test
    void aQueuedRunsHeaderFillsInFromTheLiveStream() throws Exception {
        // one run trains at a time: a long run keeps the next one queued until it is cancelled
        String blocker = startRun("blocker", longRun());
        try {
            awaitStatus(blocker, "running");
            String queued = startRun("queued run", smallRun(12, 6, 2));
            driver.get(base + "/runs/" + queued);
            waitFor("the queued run's page", d -> "queued".equals(text(By.id("run-status"))));
            assertEquals("–", text(By.id("meta-device")), "a queued run has no device yet");
            assertEquals("12x6", text(By.id("meta-grid")));
            for (String link : List.of("download-weights", "download-best")) {
                assertTrue(driver.findElement(By.id(link)).getAttribute("class").contains("disabled"), link);
                assertEquals("true", driver.findElement(By.id(link)).getAttribute("aria-disabled"), link);
            }
            markThePage();

            cancel(blocker);
            // the device is recorded once training opens the backend: a summary event after the status event
            waitFor("the device in the header", d -> !"–".equals(text(By.id("meta-device"))));
            waitFor("the run to complete", d -> "completed".equals(text(By.id("run-status"))));
            JsonNode run = summary(queued);
            assertEquals(run.path("device").asText(), text(By.id("meta-device")));
            assertEquals(run.path("backend").asText(), text(By.id("meta-backend")));
            assertTrue(stillTheMarkedPage(), "the page was reloaded");
            // the header came over the WebSocket: the page never asked the API for the run again
            assertEquals(List.of(), fetched("/api/runs/" + queued).stream()
                    .filter(p -> p.equals("/api/runs/" + queued)).collect(Collectors.toList()));
            assertTrue(text(By.id("stat-best")).endsWith("%"), text(By.id("stat-best")));
            // the weights files were announced by the stream's summaries
            for (String link : List.of("download-weights", "download-best")) {
                waitFor(link + " enabled", d -> !d.findElement(By.id(link)).getAttribute("class").contains("disabled"));
            }
            assertNoConsoleErrors();
        } finally {
            cancel(blocker);
        }
    }

    @Test
    void aRunIsCancelledResumedAndDeletedFromItsPage() throws Exception {
        String id = startRun("cancel me", longRun().replace("\"threads\":1", "\"threads\":1,\"checkpointEvery\":1"));
        try {
            driver.get(base + "/runs/" + id);
            By epochs = By.cssSelector("#metrics-body tr");
            waitFor("a few epochs", d -> d.findElements(epochs).size() >= 3);
            markThePage();
            driver.findElement(By.id("cancel-run")).click();
            waitFor("the cancelled status", d -> "cancelled".equals(text(By.id("run-status"))));
            waitFor("the resume button", d -> d.findElement(By.id("resume-run")).isDisplayed());
            assertFalse(driver.findElement(By.id("cancel-run")).isDisplayed());
            int before = driver.findElements(epochs).size();

            driver.findElement(By.id("resume-run")).click();
            waitFor("training again", d -> "running".equals(text(By.id("run-status"))));
            waitFor("more epochs", d -> d.findElements(epochs).size() > before + 1);
            assertTrue(driver.findElement(By.id("cancel-run")).isDisplayed());
            assertTrue(stillTheMarkedPage(), "the page was reloaded");
            driver.findElement(By.id("cancel-run")).click();
            waitFor("cancelled again", d -> "cancelled".equals(text(By.id("run-status"))));

            driver.findElement(By.id("delete-run")).click();
            driver.switchTo().alert().accept();
            waitFor("the runs page", d -> d.getCurrentUrl().equals(base + "/"));
            HttpResponse<String> gone = http().send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, gone.statusCode(), gone.body());
            assertNoConsoleErrors();
        } finally {
            cancel(id);
        }
    }

    /** The legend entries of a chart, as Chart.js lists them. */
    static List<?> legendEntries(String chartId) {
        return (List<?>) js().executeScript("return Chart.getChart(document.getElementById(arguments[0]))"
                + ".legend.legendItems.map(i => i.text);", chartId);
    }

    /** The epochs table's column names as written (the page shows them in capitals). */
    static List<String> headerCells() {
        return driver.findElements(By.cssSelector("#metrics-table thead th")).stream()
                .map(h -> h.getAttribute("textContent").trim()).collect(Collectors.toList());
    }

    /** The epoch of the row marked best, or null. */
    static String bestRowEpoch() {
        List<WebElement> rows = driver.findElements(By.cssSelector("#metrics-body tr.best"));
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-epoch");
    }

    /** A synthetic run long enough to be cancelled while it trains. */
    static String longRun() {
        return "{\"dataset\":\"synthetic\",\"samples\":2048,\"testSamples\":128,\"height\":16,\"width\":8,"
                + "\"batch\":64,\"epochs\":5000,\"lr\":0.003,\"backend\":\"java\",\"threads\":1}";
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
}
