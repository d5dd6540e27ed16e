package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The run page's map kinds in a real browser ({@link DashboardFixture}): a small 2D run's page switches between the
 * per-class means, spreads and contrasts (ten maps) and the grid's weights and biases (one map, with a caption),
 * each with a legend of its own on its own colour scale; the epoch slider fetches the kind shown; the choice is kept
 * in the address; the maps export as a PNG and their numbers as npy and CSV; and a kind the run has no frames of
 * shows a note instead of maps.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MapKindsBrowserTest extends DashboardFixture {
    /** kind, number of maps, colour map: as map-kinds.js draws them (the means of a sine run: diverging). */
    private static final List<Object[]> KINDS = List.of(
            new Object[] {"mean", 10, "diverging"},
            new Object[] {"std", 10, "viridis"},
            new Object[] {"contrast", 10, "diverging"},
            new Object[] {"weights", 1, "diverging"},
            new Object[] {"biases", 1, "diverging"});

    @Test
    void everyKindShowsItsMapsWithItsOwnLegendFollowsTheSliderAndExports() throws Exception {
        String id = startRun("map kinds", 16, 8);
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        waitFor("the mean maps of the last epoch", d -> shownMaps().size() == 10
                && shownMaps().stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));

        for (Object[] k : KINDS) {
            String kind = (String) k[0];
            int maps = (Integer) k[1];
            String colours = (String) k[2];
            pick(kind);
            waitFor(maps + " " + kind + " maps of epoch 3", d -> shownMaps().size() == maps
                    && shownMaps().stream().allMatch(c -> kind.equals(c.getAttribute("data-kind"))
                            && "3".equals(c.getAttribute("data-epoch"))));
            assertTrue(shownMaps().stream().allMatch(c -> colours.equals(c.getAttribute("data-colours"))),
                    kind + " maps not on " + colours);
            for (WebElement canvas : shownMaps()) {
                Map<?, ?> info = pixels(canvas);
                assertEquals(8L, ((Number) info.get("w")).longValue(), kind + ": a map is W wide");
                assertEquals(16L, ((Number) info.get("h")).longValue(), kind + ": a map is H high");
            }

            // one legend shows: the kind's own, with its scale
            List<WebElement> legends = driver.findElements(By.cssSelector("#legend-slot .legend"));
            List<String> visible = legends.stream().filter(WebElement::isDisplayed)
                    .map(l -> l.getAttribute("data-kind")).collect(Collectors.toList());
            assertEquals(List.of(kind), visible, "the legends shown for " + kind);
            WebElement legend = driver.findElement(By.cssSelector("#legend-slot .legend[data-kind='" + kind + "']"));
            assertEquals(colours, legend.getAttribute("data-colours"), kind + " legend");
            double min = Double.parseDouble(legend.findElement(By.className("legend-min")).getAttribute("data-value"));
            double max = Double.parseDouble(legend.findElement(By.className("legend-max")).getAttribute("data-value"));
            assertTrue(min < max, kind + " legend " + min + " .. " + max);
            if (kind.equals("std")) {
                assertEquals(0.0, min, kind + ": viridis from 0");
            } else {
                assertEquals(-max, min, 1e-9, kind + ": symmetric about 0");
            }

            // one map says what it holds; the choice is in the address
            String caption = driver.findElement(By.id("map-caption")).isDisplayed()
                    ? text(By.id("map-caption")) : "";
            if (kind.equals("weights")) {
                assertTrue(caption.contains("column l holds the weights of source layer l"), caption);
            } else if (kind.equals("biases")) {
                assertTrue(caption.contains("biases"), caption);
            } else {
                assertEquals("", caption, kind + " has no caption");
            }
            String url = driver.getCurrentUrl();
            assertEquals(!kind.equals("mean"), url.endsWith("?map=" + kind), url);
        }

        // contrast: the epoch slider fetches the contrast of another epoch
        pick("contrast");
        waitFor("the contrast of epoch 3", d -> allShown("contrast", "3", 10));
        List<String> before = hashes();
        slide("epoch-slider", "0");
        waitFor("the contrast of epoch 0", d -> allShown("contrast", "0", 10));
        assertTrue(fetched("/heatmaps/0").size() >= 1, "epoch 0 was not fetched");
        assertFalse(before.equals(hashes()), "epoch 0's contrast drawn like epoch 3's");

        // a link opens the same view
        driver.get(base + "/runs/" + id + "?map=contrast");
        waitFor("the contrast of the last epoch on a fresh page", d -> allShown("contrast", "3", 10));
        assertTrue(driver.findElement(By.cssSelector("input[name='map-kind'][value='contrast']")).isSelected());
        assertTrue(text(By.id("heatmaps-title")).toLowerCase().contains("contrast"), text(By.id("heatmaps-title")));

        // PNG: a blob from the maps drawn offscreen, downloaded under the run's id, kind and epoch
        js().executeScript("window.__blobs = []; const make = URL.createObjectURL.bind(URL);"
                + "URL.createObjectURL = b => { window.__blobs.push({type: b.type, size: b.size}); return make(b); };");
        waitFor("the PNG button", d -> d.findElement(By.id("map-png")).isEnabled());
        driver.findElement(By.id("map-png")).click();
        waitFor("a PNG blob", d -> ((Number) js().executeScript("return window.__blobs.length;")).intValue() == 1);
        Map<?, ?> blob = (Map<?, ?>) js().executeScript("return window.__blobs[0];");
        assertEquals("image/png", blob.get("type"));
        assertTrue(((Number) blob.get("size")).longValue() > 1000, "a PNG of " + blob.get("size") + " bytes");
        Path png = waitForDownload(id + "-contrast-epoch3", ".png");
        byte[] bytes = Files.readAllBytes(png);
        assertEquals("PNG", new String(bytes, 1, 3, StandardCharsets.US_ASCII), png.toString());

        // the numbers: npy and CSV of the kind and epoch shown
        String npy = driver.findElement(By.id("map-npy")).getAttribute("href");
        String csv = driver.findElement(By.id("map-csv")).getAttribute("href");
        assertTrue(npy.endsWith("/api/runs/" + id + "/heatmaps/3?kind=contrast&format=npy"), npy);
        assertTrue(csv.endsWith("/api/runs/" + id + "/heatmaps/3?kind=contrast&format=csv"), csv);
        HttpResponse<byte[]> array = http().send(HttpRequest.newBuilder(URI.create(npy)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, array.statusCode());
        assertTrue(array.body().length > 10 && (array.body()[0] & 0xff) == 0x93
                && "NUMPY".equals(new String(array.body(), 1, 5, StandardCharsets.US_ASCII)),
                "not an npy file: " + Arrays.toString(Arrays.copyOf(array.body(), Math.min(10, array.body().length))));
        HttpResponse<String> table = http().send(HttpRequest.newBuilder(URI.create(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, table.statusCode());
        assertFalse(table.body().isBlank(), "an empty CSV");
        assertNoConsoleErrors();
    }

    @Test
    void aKindTheRunHasNoFramesOfShowsANoteInsteadOfMaps() throws Exception {
        String id = startRun("no std maps", smallRun(12, 6, 2));
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        waitFor("the mean maps of the last epoch", d -> allShown("mean", "2", 10));
        // as a server answers for a run from before the kinds: no std frame of any epoch
        js().executeScript("const real = window.fetch; window.fetch = (url, init) => String(url).includes('kind=std')"
                + " ? Promise.resolve(new Response('no std maps', {status: 404})) : real(url, init);");
        slide("epoch-slider", "1");
        waitFor("the means of epoch 1", d -> allShown("mean", "1", 10));
        pick("std");
        waitFor("the note", d -> d.findElement(By.id("map-missing")).isDisplayed());
        assertTrue(text(By.id("map-missing")).startsWith("This run has no standard deviation"),
                text(By.id("map-missing")));
        assertFalse(driver.findElement(By.id("heatmaps")).isDisplayed(), "maps beside the note");
        assertFalse(driver.findElement(By.id("map-png")).isEnabled(), "a PNG of nothing");

        // back to the means: the maps again
        pick("mean");
        waitFor("the means of epoch 1 again", d -> allShown("mean", "1", 10));
        assertFalse(driver.findElement(By.id("map-missing")).isDisplayed());
        assertNoConsoleErrors();
    }

    private static void pick(String kind) {
        driver.findElement(By.cssSelector("input[name='map-kind'][value='" + kind + "']")).click();
    }

    /** The map canvases on screen (a one-map kind's tiles replace the ten classes'). */
    private static List<WebElement> shownMaps() {
        return driver.findElement(By.id("heatmaps")).isDisplayed()
                ? heatmaps().stream().filter(WebElement::isDisplayed).collect(Collectors.toList()) : List.of();
    }

    private static boolean allShown(String kind, String epoch, int maps) {
        List<WebElement> shown = shownMaps();
        return shown.size() == maps && shown.stream().allMatch(c -> kind.equals(c.getAttribute("data-kind"))
                && epoch.equals(c.getAttribute("data-epoch")));
    }

    private static List<String> hashes() {
        return shownMaps().stream().map(c -> (String) pixels(c).get("hash")).collect(Collectors.toList());
    }
}
