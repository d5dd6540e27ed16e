package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The comparison page in a real browser ({@link DashboardFixture}): curves overlaid and heatmaps of every run, a
 * name full of markup shown as text, a 2D beside a 3D run with the layer slider moving only the 3D one, and a
 * run followed live over its WebSocket while it trains.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ComparePageBrowserTest extends DashboardFixture {

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
        // the best epoch of each run, with what chose it in its title
        for (String id : List.of(a, b)) {
            WebElement best = driver.findElement(By.cssSelector("#compare-runs-body tr[data-id='" + id + "'] td.best-epoch"));
            assertEquals(summary(id).path("bestEpoch").asText(), best.getText());
            assertTrue(best.getAttribute("title").contains("chosen on test accuracy"), best.getAttribute("title"));
        }
        assertEquals("diverging", driver.findElement(By.id("colour-scale")).getAttribute("value"), "two sine runs");
        assertEquals(tricky, pageDataName("runs", a), "the name in the compare page's data");
        assertTrue(driver.findElements(By.cssSelector("main b")).stream().noneMatch(e -> e.getText().contains("\"x\"")));

        // the shared scale across runs shows one legend (checked below, after the run page)
        driver.findElement(By.cssSelector("input[name='scale'][value='shared']")).click();
        waitFor("the shared legend", d -> d.findElements(By.cssSelector("#legend-slot .legend")).stream()
                .anyMatch(WebElement::isDisplayed));
        assertTrue(text(By.id("config-diff")).toLowerCase(Locale.ROOT).contains("height"));

        driver.get(base + "/runs/" + a);
        waitFor("the run's name", d -> tricky.equals(text(By.id("run-name"))));
        assertEquals(tricky, js().executeScript(
                "return JSON.parse(document.getElementById('page-data').textContent).run.name;"));
        assertNoConsoleErrors();
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
        assertTrue(diff.toLowerCase(Locale.ROOT).contains("grid type") && diff.contains("Layers"), diff);
        assertNoConsoleErrors();
    }

    @Test
    void theComparisonPageFollowsATrainingRunLive() throws Exception {
        String done = startRun("compare done", 16, 8);
        awaitCompleted(done);
        String live = startRun("compare live", RunPageBrowserTest.longRun());
        try {
            driver.get(base + "/compare?ids=" + done + "," + live);
            By liveEpoch = By.cssSelector("#compare-runs-body tr[data-id='" + live + "'] td.epoch");
            waitFor("the training run's first epochs", d -> epochOf(text(liveEpoch)) >= 1);
            markThePage();
            int seen = epochOf(text(liveEpoch));
            waitFor("more epochs without a reload", d -> epochOf(text(liveEpoch)) >= seen + 2);
            waitFor("the live run's curves longer than the finished run's", d -> points("loss-chart") > 3);
            waitFor("the connection state", d -> text(By.id("refresh-state")).endsWith("live"));
            By liveMaps = By.cssSelector("#compare-heatmaps .compare-row[data-run='" + live + "'] canvas.heatmap");
            waitFor("both runs' maps at the finished run's last epoch", d -> d.findElements(liveMaps).size() == 10
                    && d.findElements(liveMaps).stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));
            assertEquals("epoch 3 / 3", text(By.id("epoch-label")));

            cancel(live);
            waitFor("the cancelled status", d -> "cancelled".equals(text(By.cssSelector(
                    "#compare-runs-body tr[data-id='" + live + "'] .badge"))));
            waitFor("the connection state of finished runs", d -> text(By.id("refresh-state")).isEmpty());
            assertTrue(stillTheMarkedPage(), "the page was reloaded");
            // everything came over the WebSockets: no run, list or metrics request after the page's own
            List<String> polled = fetched("/api/").stream().filter(p -> !p.contains("/heatmaps/"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), polled);
            assertNoConsoleErrors();
        } finally {
            cancel(live);
        }
    }

    /** The epoch of "12 / 300". */
    private static int epochOf(String cell) {
        String n = cell.contains("/") ? cell.substring(0, cell.indexOf('/')).trim() : "";
        return n.matches("\\d+") ? Integer.parseInt(n) : -1;
    }
}
