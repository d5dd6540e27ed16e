package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sweep page in a real browser ({@link DashboardFixture}): a small sweep on synthetic data started over the API
 * (kernel × learning rate, two seeds), its points table filling live until every point is finished, a sort by a
 * column and back, the chart and the parallel coordinates drawn, two points compared on the comparison page, the
 * run page's link back to the sweep; and a sweep cancelled and resumed from its page.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SweepPageBrowserTest extends DashboardFixture {
    private static final Duration SWEEP_WAIT = Duration.ofMinutes(3);

    @Test
    void aSweepFillsItsTableLiveSortsDrawsItsChartsAndComparesTwoPoints() throws Exception {
        String id = startSweep("{\"name\":\"page sweep\",\"base\":" + smallRun(16, 8, 2) + ","
                + "\"sweep\":{\"kernel\":[3,5],\"lr\":[0.001,0.01]},\"seeds\":2}");
        driver.get(base + "/sweeps/" + id);
        waitFor("a row per point", d -> pointRows().size() == 4);
        assertEquals("page sweep", text(By.id("sweep-name")));
        assertEquals(List.of("", "Kernel k", "Learning rate", "Runs done", "Best test acc.", "Final test acc.",
                "Mean time"), driver.findElements(By.cssSelector("#points-head th")).stream()
                .map(h -> h.getAttribute("textContent").trim()).collect(Collectors.toList()));
        markThePage();

        waitLong("every point finished", d -> pointRows().stream()
                .allMatch(r -> "true".equals(r.getAttribute("data-finished"))));
        waitFor("the completed status", d -> "completed".equals(text(By.id("sweep-status"))));
        assertTrue(stillTheMarkedPage(), "the page was reloaded");
        for (WebElement row : pointRows()) {
            assertEquals("2 / 2", cell(row, "runs"));
            assertTrue(cell(row, "best").matches("\\d+\\.\\d\\d ± \\d+\\.\\d\\d %"), cell(row, "best"));
        }
        assertTrue(text(By.id("sweep-done")).startsWith("8 of 8"), text(By.id("sweep-done")));
        assertFalse(driver.findElement(By.id("cancel-sweep")).isEnabled(), "nothing left to cancel");
        assertFalse(driver.findElement(By.id("resume-sweep")).isEnabled(), "nothing to resume");
        assertEquals(8, driver.findElements(By.cssSelector("#sweep-runs-body tr")).size());

        // the table's numbers are the API's
        JsonNode sweep = sweep(id);
        for (JsonNode p : sweep.get("points")) {
            WebElement row = driver.findElement(By.cssSelector("#points-body tr[data-key='" + p.get("label").asText()
                    + "']"));
            double shown = Double.parseDouble(cell(row, "best").substring(0, cell(row, "best").indexOf(' ')));
            assertEquals(p.get("bestTestMean").asDouble() * 100, shown, 0.006, p.get("label").asText());
        }

        // sorting: the best first, then reversed; by kernel from the smallest
        clickHeader("best");
        assertEquals("descending", header("best").getAttribute("aria-sort"));
        List<Double> best = bestColumn();
        for (int i = 1; i < best.size(); i++) {
            assertTrue(best.get(i - 1) >= best.get(i), "not the best first: " + best);
        }
        clickHeader("best");
        List<Double> reversed = bestColumn();
        for (int i = 1; i < reversed.size(); i++) {
            assertTrue(reversed.get(i - 1) <= reversed.get(i), "not reversed: " + reversed);
        }
        clickHeader("field:kernel");
        assertEquals(List.of("3", "3", "5", "5"), pointRows().stream().map(r -> cell(r, "field:kernel"))
                .collect(Collectors.toList()));

        // the chart: four means against the kernel, then against lr on its log axis
        waitFor("four points in the chart", d -> points("sweep-chart") == 4);
        assertTrue(((Number) pixels(driver.findElement(By.id("sweep-chart"))).get("colours")).longValue() > 2,
                "the chart is blank");
        new Select(driver.findElement(By.id("chart-field"))).selectByValue("lr");
        waitFor("the lr axis", d -> List.of("0.001", "0.01").equals(xTicks("sweep-chart")));
        assertEquals("Learning rate (log scale)", js().executeScript(
                "return Chart.getChart(document.getElementById('sweep-chart')).options.scales.x.title.text;"));
        assertEquals(4, points("sweep-chart"));
        new Select(driver.findElement(By.id("chart-metric"))).selectByValue("final");
        assertEquals(4, points("sweep-chart"));

        // the parallel coordinates: a line per point
        waitFor("a line per point", d -> "4".equals(driver.findElement(By.id("parallel-canvas"))
                .getAttribute("data-lines")));
        assertTrue(((Number) pixels(driver.findElement(By.id("parallel-canvas"))).get("colours")).longValue() > 4,
                "the parallel coordinates are blank");

        screenshot();

        // two points (sorted by kernel: the two of kernel 3) compared: their four runs
        List<WebElement> rows = pointRows();
        Set<String> wanted = new LinkedHashSet<>();
        for (WebElement row : rows.subList(0, 2)) {
            row.findElement(By.cssSelector("input.point-select")).click();
            for (JsonNode p : sweep.get("points")) {
                if (p.get("label").asText().equals(row.getAttribute("data-key"))) {
                    p.get("runs").forEach(r -> wanted.add(r.asText()));
                }
            }
        }
        assertEquals(4, wanted.size());
        WebElement compare = driver.findElement(By.id("compare-points"));
        assertTrue(compare.isEnabled());
        assertEquals("Compare 4 runs", compare.getText());
        assertNoConsoleErrors();
        compare.click();
        waitFor("the comparison page", d -> d.getCurrentUrl().contains("/compare?ids="));
        Set<String> opened = Set.of(driver.getCurrentUrl().replaceAll(".*ids=", "").split(","));
        assertEquals(wanted, opened);
        waitFor("the four runs in the comparison", d -> d.findElements(By.cssSelector("#compare-runs-body tr[data-id]"))
                .stream().map(r -> r.getAttribute("data-id")).collect(Collectors.toSet()).equals(wanted));

        // a run of the sweep links back to it
        String run = wanted.iterator().next();
        driver.get(base + "/runs/" + run);
        waitFor("the sweep link", d -> d.findElement(By.id("meta-sweep-item")).isDisplayed());
        assertTrue(driver.findElement(By.id("meta-sweep")).getAttribute("href").endsWith("/sweeps/" + id));
        assertTrue(text(By.id("meta-point")).contains("kernel 3"), text(By.id("meta-point")));
        assertNoConsoleErrors();

        // the exports, and the page of a sweep that does not exist
        for (String format : List.of("json", "csv")) {
            driver.get(base + "/sweeps/" + id);
            String href = driver.findElement(By.id("download-" + format)).getAttribute("href");
            assertTrue(href.endsWith("/api/sweeps/" + id + "/export?format=" + format), href);
            HttpResponse<String> file = http().send(HttpRequest.newBuilder(URI.create(href)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, file.statusCode());
        }
        for (String missing : List.of("not-a-sweep", "000000000000")) {
            HttpResponse<String> page = http().send(HttpRequest.newBuilder(URI.create(base + "/sweeps/" + missing))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, page.statusCode(), missing);
            assertTrue(page.body().contains("there is no"), page.body());
        }
        assertNoConsoleErrors();
    }

    @Test
    void theRestOfASweepIsCancelledResumedAndDeletedFromItsPage() throws Exception {
        String id = startSweep("{\"name\":\"long sweep\",\"base\":" + RunPageBrowserTest.longRun()
                .replace("\"threads\":1", "\"threads\":1,\"checkpointEvery\":1") + ",\"sweep\":{\"kernel\":[3,5]}}");
        try {
            driver.get(base + "/sweeps/" + id);
            waitFor("training", d -> "running".equals(text(By.id("sweep-status"))));
            assertFalse(driver.findElement(By.id("resume-sweep")).isEnabled());
            assertEquals("1", text(By.cssSelector("#sweep-counts .count[data-status='queued'] b")));
            markThePage();
            driver.findElement(By.id("cancel-sweep")).click();
            waitFor("the cancelled sweep", d -> "cancelled".equals(text(By.id("sweep-status"))));
            waitFor("resume enabled", d -> d.findElement(By.id("resume-sweep")).isEnabled());
            assertFalse(driver.findElement(By.id("cancel-sweep")).isEnabled());
            assertEquals("2", text(By.cssSelector("#sweep-counts .count[data-status='cancelled'] b")));

            driver.findElement(By.id("resume-sweep")).click();
            waitFor("training again", d -> "running".equals(text(By.id("sweep-status"))));
            waitFor("cancel enabled", d -> d.findElement(By.id("cancel-sweep")).isEnabled());
            assertTrue(stillTheMarkedPage(), "the page was reloaded");
            assertNoConsoleErrors();

            driver.findElement(By.id("delete-sweep")).click();
            driver.switchTo().alert().accept();
            waitFor("the runs page", d -> d.getCurrentUrl().equals(base + "/"));
            assertEquals(404, http().send(HttpRequest.newBuilder(URI.create(base + "/api/sweeps/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "deleted with its runs");
        } finally {
            post("/api/sweeps/" + id + "/cancel");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * With {@code -Dneuralgrid.screenshotSweep} (empty or {@code true}: {@code docs/sweep-page.png} under the working
     * directory; anything else: that path) the finished sweep's page at a 1400x1000 viewport.
     */
    private static void screenshot() throws Exception {
        String value = System.getProperty("neuralgrid.screenshotSweep");
        if (value == null) {
            return;
        }
        java.nio.file.Path target = value.isBlank() || value.equals("true")
                ? java.nio.file.Paths.get(System.getProperty("user.dir"), "docs", "sweep-page.png")
                : java.nio.file.Paths.get(value);
        Map<?, ?> frame = (Map<?, ?>) js().executeScript("return {w: window.outerWidth - window.innerWidth,"
                + " h: window.outerHeight - window.innerHeight};");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400 + ((Number) frame.get("w")).intValue(),
                1000 + ((Number) frame.get("h")).intValue()));
        Thread.sleep(500);
        js().executeScript("window.scrollTo(0, 0)");
        savePng(target);
    }

    /** Starts a sweep over the API; returns its id. */
    static String startSweep(String body) throws Exception {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + "/api/sweeps"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static JsonNode sweep(String id) throws Exception {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + "/api/sweeps/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static void post(String path) throws Exception {
        http().send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static List<WebElement> pointRows() {
        return driver.findElements(By.cssSelector("#points-body tr[data-key]"));
    }

    static String cell(WebElement row, String column) {
        return row.findElement(By.cssSelector("td[data-col='" + column + "']")).getText().trim();
    }

    static WebElement header(String column) {
        return driver.findElement(By.cssSelector("#points-head th[data-col='" + column + "']"));
    }

    static void clickHeader(String column) {
        header(column).findElement(By.tagName("button")).click();
    }

    /** The means of the best-test column, top to bottom. */
    static List<Double> bestColumn() {
        List<Double> out = new ArrayList<>();
        for (WebElement row : pointRows()) {
            String text = cell(row, "best");
            out.add(Double.parseDouble(text.substring(0, text.indexOf(' '))));
        }
        return out;
    }

    /** The x axis's tick labels of a chart, as Chart.js drew them. */
    static List<?> xTicks(String chartId) {
        return (List<?>) js().executeScript("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + "return c ? c.scales.x.ticks.map(t => t.label) : [];", chartId);
    }

    /** waitFor with the time a whole sweep takes. */
    static void waitLong(String what, Function<WebDriver, Boolean> condition) {
        try {
            new WebDriverWait(driver, SWEEP_WAIT, Duration.ofMillis(200)).ignoring(StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (TimeoutException e) {
            fail("timed out waiting for " + what + "; rows: " + pointRows().stream().map(WebElement::getText)
                    .collect(Collectors.toList()) + "\nconsole: " + consoleLog());
        }
    }
}
