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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The new-run form in sweep mode in a real browser ({@link DashboardFixture}): lists typed into number fields and
 * ticked choices make a sweep, the server's check counts its runs and names its bad points next to their fields,
 * a start opens the sweep's page, whose table fills as the runs finish and whose points open in the comparison, and
 * the runs page lists the sweep and links its runs to it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SweepFormBrowserTest extends DashboardFixture {
    private static final String SWEEP_PAGE = ".*/sweeps/[0-9a-f]{12}$";

    @Test
    void aTwoByTwoSweepWithTwoSeedsFromTheFormFillsItsPageOpensTwoPointsInCompareAndIsListed() throws Exception {
        openTheForm();
        fillTinySyntheticRun("kernels and activations");
        driver.findElement(By.id("mode-sweep")).click();
        assertEquals("Start sweep", driver.findElement(By.id("submit-run")).getText());
        assertEquals("text", driver.findElement(By.id("f-kernel")).getAttribute("type"), "takes a list");
        setValue("kernel", "3,5");
        assertTrue(driver.findElement(By.id("f-activation-sin")).isSelected(), "the chosen activation ticked");
        driver.findElement(By.id("f-activation-relu")).click();
        setValue("seeds", "2");

        By estimate = By.id("sweep-estimate");
        waitFor("the count of 8 runs", d -> text(estimate).startsWith("4 points × 2 seeds = 8 runs"));
        String said = text(estimate);
        assertTrue(said.endsWith(" one after another") || said.endsWith(
                "no estimate yet: no run on this server has finished an epoch on that backend"), said);
        assertNoFieldErrors();
        assertNoConsoleErrors();

        driver.findElement(By.id("submit-run")).click();
        waitFor("the sweep's page", d -> d.getCurrentUrl().matches(SWEEP_PAGE));
        String id = driver.getCurrentUrl().replaceAll(".*/sweeps/", "");
        // the sweep's page itself is SweepPageBrowserTest's: here only that it opened on this sweep
        waitFor("the sweep's name on its page", d -> text(By.id("sweep-name")).equals("kernels and activations"));

        JsonNode sweep = get("/api/sweeps/" + id);
        assertEquals("kernels and activations", sweep.path("name").asText());
        assertEquals(List.of("kernel", "activation"), texts(sweep.path("fields")));
        assertEquals(2, sweep.path("seeds").asInt());
        assertEquals("grid", sweep.path("mode").asText());
        assertEquals(8, sweep.path("runs").size(), sweep.toString());
        // every point of kernel 3, 5 x activation sin, relu, each with the seeds 42 and 43
        Map<String, List<Long>> seedsByPoint = new HashMap<>();
        for (JsonNode run : sweep.path("runs")) {
            JsonNode point = run.path("point");
            assertEquals(2, point.size(), point.toString());
            seedsByPoint.computeIfAbsent(point.path("kernel").asInt() + "/" + point.path("activation").asText(),
                    k -> new ArrayList<>()).add(run.path("seed").asLong());
            assertEquals(id, run.path("sweep").asText());
        }
        assertEquals(Map.of("3/sin", List.of(42L, 43L), "3/relu", List.of(42L, 43L), "5/sin", List.of(42L, 43L),
                "5/relu", List.of(42L, 43L)), seedsByPoint);
        JsonNode config = get("/api/runs/" + sweep.path("runs").get(0).path("id").asText()).path("config");
        assertEquals("synthetic", config.path("dataset").asText());
        assertEquals(1, config.path("epochs").asInt());
        assertEquals("java", config.path("backend").asText());

        JsonNode done = awaitSweepCompleted(id);
        assertEquals(8, done.path("counts").path("completed").asInt(), done.toString());

        // the sweep's page, left open, filled its table by itself; two of its points open in the comparison
        By rows = By.cssSelector("#points-body tr[data-key]");
        SweepPageBrowserTest.waitLong("every point finished on the page", d -> d.findElements(rows).size() == 4
                && d.findElements(rows).stream().allMatch(r -> r.findElement(By.cssSelector("td[data-col='runs']"))
                .getText().trim().equals("2 / 2")));
        List<String> compared = new ArrayList<>();
        for (WebElement row : driver.findElements(rows).subList(0, 2)) {
            row.findElement(By.cssSelector("input.point-select")).click();
            for (JsonNode p : done.path("points")) {
                if (p.path("label").asText().equals(row.getAttribute("data-key"))) {
                    p.path("runs").forEach(r -> compared.add(r.asText()));
                }
            }
        }
        driver.findElement(By.id("compare-points")).click();
        waitFor("the comparison of two points", d -> d.getCurrentUrl().contains("/compare?ids="));
        assertEquals(java.util.Set.copyOf(compared), java.util.Set.of(driver.getCurrentUrl().replaceAll(".*ids=", "")
                .split(",")), "the four runs of the two points");
        waitFor("their rows in the comparison", d -> d.findElements(By.cssSelector("#compare-runs-body tr[data-id]"))
                .size() == 4);

        // the runs page lists the sweep (at once: it is in the page's data), and each of its runs links to it
        driver.get(base + "/");
        By row = By.cssSelector("#sweeps-body tr[data-id='" + id + "']");
        assertFalse(driver.findElements(row).isEmpty(), "the sweep rendered with the page");
        assertTrue(driver.findElement(By.id("sweeps-panel")).isDisplayed());
        WebElement link = driver.findElement(row).findElement(By.cssSelector("td.name a"));
        assertEquals("kernels and activations", link.getText());
        assertTrue(link.getAttribute("href").endsWith("/sweeps/" + id), link.getAttribute("href"));
        assertEquals("completed", driver.findElement(row).findElement(By.className("badge")).getText());
        assertTrue(driver.findElement(row).findElement(By.cssSelector("td.runs")).getText().contains("8 runs"));
        assertEquals("100%", driver.findElement(row).findElement(By.className("pct")).getText());
        String runId = sweep.path("runs").get(0).path("id").asText();
        By runLink = By.cssSelector("#runs-body tr[data-id='" + runId + "'] a.sweep-link");
        waitFor("the run's link to its sweep", d -> !d.findElements(runLink).isEmpty());
        assertTrue(driver.findElement(runLink).getAttribute("href").endsWith("/sweeps/" + id));
        assertEquals("kernels and activations", driver.findElement(runLink).getText(), "the link names the sweep");
        assertNoConsoleErrors();
    }

    @Test
    void badValuesAreNamedNextToTheirFieldsWithTheirPointsAndStartNothing() throws Exception {
        int runsBefore = get("/api/runs").path("runs").size();
        int sweepsBefore = get("/api/sweeps").path("sweeps").size();
        openTheForm();
        fillTinySyntheticRun("bad kernels");
        driver.findElement(By.id("mode-sweep")).click();
        By kernelError = By.cssSelector(".field-error[data-field='kernel']");

        // an even kernel is refused at every point
        setValue("kernel", "2,3");
        waitFor("the even kernel's error", d -> text(kernelError).contains("odd"));

        // a kernel too big for one of the heights is refused at that point, which the message names
        setValue("kernel", "3,17");
        setValue("height", "8,16");
        waitFor("the point's error", d -> text(kernelError).contains("kernel=17") && text(kernelError).contains("height=8"));
        assertTrue(text(kernelError).contains("15"), "at most 2H - 1: " + text(kernelError));
        assertTrue(driver.findElement(By.id("f-kernel")).findElement(By.xpath("./ancestor::div[contains(@class,'field')][1]"))
                .getAttribute("class").contains("invalid"));
        waitFor("the count", d -> text(By.id("sweep-estimate")).equals("4 points × 1 seed = 4 runs"));

        driver.findElement(By.id("submit-run")).click();
        // the check's errors sit quietly by their fields; the refused start also says so at the top
        waitFor("the refusal", d -> d.findElement(By.id("form-errors")).isDisplayed()
                && d.findElement(By.id("submit-run")).isEnabled());
        assertTrue(text(kernelError).contains("kernel=17"), text(kernelError));
        assertTrue(driver.getCurrentUrl().endsWith("/"), "stayed on the form: " + driver.getCurrentUrl());
        assertEquals(runsBefore, get("/api/runs").path("runs").size(), "no run started");
        assertEquals(sweepsBefore, get("/api/sweeps").path("sweeps").size(), "no sweep started");
        assertNoConsoleErrors("/api/sweeps - Failed to load resource: the server responded with a status of 400");
    }

    /** A tiny synthetic run of one epoch on one Java thread, in the form. */
    private static void fillTinySyntheticRun(String name) {
        fillSmallSyntheticRun(name);
        setValue("samples", "256");
        setValue("testSamples", "64");
        setValue("height", "8");
        setValue("width", "4");
        setValue("batch", "32");
        setValue("epochs", "1");
    }

    private static void assertNoFieldErrors() {
        for (WebElement e : driver.findElements(By.className("field-error"))) {
            assertEquals("", e.getText(), "unexpected error for " + e.getAttribute("data-field"));
        }
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode awaitSweepCompleted(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonNode sweep = null;
        while (System.nanoTime() < deadline) {
            sweep = get("/api/sweeps/" + id);
            String status = sweep.path("status").asText();
            if (status.equals("completed")) {
                return sweep;
            }
            assertFalse(status.equals("failed") || status.equals("cancelled"), sweep.toString());
            Thread.sleep(200);
        }
        fail("sweep " + id + " did not complete: " + sweep);
        return sweep;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
