package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The heatmaps' colour maps in a real browser ({@link DashboardFixture}): a sine run's maps start on the diverging
 * blue-white-red map centred at zero (a cell of about 0 is white, the legend is symmetric and says so) and switch to
 * viridis; a relu run starts on viridis; the comparison page is diverging only when every run's activation is sin or
 * tanh, and its shared scale is then symmetric over every run.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ColourScaleBrowserTest extends DashboardFixture {

    /**
     * The cell of a run's frame whose value is nearest 0 (over every class) and its pixel on the page: {relative:
     * |value| / max(|min|, |max|), rgb: [r, g, b], min, max}. Decodes the frame header as HeatmapFrame writes it.
     */
    private static final String NEAREST_ZERO = "const [id, epoch, selector] = arguments;"
            + "const done = arguments[arguments.length - 1];"
            + "fetch(`/api/runs/${id}/heatmaps/${epoch}`).then(r => r.arrayBuffer()).then(buf => {"
            + "  const v = new DataView(buf), header = [0, 32, 48, 52][v.getUint8(4)];"
            + "  const classes = v.getUint16(6, true), rows = v.getUint32(16, true), cols = v.getUint32(20, true);"
            + "  const min = v.getFloat32(24, true), max = v.getFloat32(28, true);"
            + "  const cells = new Uint8Array(buf, header), n = rows * cols;"
            + "  let at = 0, near = Infinity;"
            + "  for (let i = 0; i < classes * n; i++) {"
            + "    const x = Math.abs(min + cells[i] / 255 * (max - min)); if (x < near) { near = x; at = i; } }"
            + "  const cls = Math.floor(at / n), cell = at % n;"
            + "  const c = document.querySelector(`${selector} canvas.heatmap[data-class='${cls}']`);"
            + "  const px = c.getContext('2d').getImageData(cell % cols, Math.floor(cell / cols), 1, 1).data;"
            + "  done({relative: near / Math.max(Math.abs(min), Math.abs(max)), rgb: [px[0], px[1], px[2]], min, max});"
            + "}, e => done({error: String(e)}));";

    @Test
    void aSineRunStartsOnTheDivergingMapWithZeroWhiteAndSwitchesToViridis() throws Exception {
        String id = startRun("sine colours", 16, 8);
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        waitFor("the heatmaps of the last epoch", d -> heatmaps().size() == 10
                && heatmaps().stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));

        assertEquals("diverging", colourChoice(), "a sine run's default colour map");
        assertTrue(heatmaps().stream().allMatch(c -> "diverging".equals(c.getAttribute("data-colours"))));
        String note = text(By.className("legend-note"));
        assertTrue(note.contains("white = 0"), note);
        double min = legendValue("legend-min");
        double max = legendValue("legend-max");
        assertTrue(max > 0 && min == -max, "a symmetric scale: " + min + " .. " + max);

        // the cell nearest 0 is drawn white: a sine grid's mean activations straddle 0
        Map<?, ?> zero = nearestZero(id, "#heatmaps");
        assertTrue(((Number) zero.get("relative")).doubleValue() < 0.02, "no cell near 0: " + zero);
        assertTrue(rgb(zero).stream().allMatch(c -> c >= 235), "the cell of about 0 is not white: " + zero);
        // the legend's ends are the frame's largest magnitude
        double frameMin = ((Number) zero.get("min")).doubleValue();
        double frameMax = ((Number) zero.get("max")).doubleValue();
        assertEquals(Math.max(Math.abs(frameMin), Math.abs(frameMax)), max, 1e-6);

        List<String> before = hashes();
        new Select(driver.findElement(By.id("colour-scale"))).selectByValue("viridis");
        waitFor("the maps on viridis", d -> heatmaps().stream().allMatch(c -> "viridis".equals(c.getAttribute("data-colours"))));
        List<String> after = hashes();
        for (int c = 0; c < 10; c++) {
            assertNotEquals(before.get(c), after.get(c), "class " + c + " drawn the same on viridis");
        }
        assertFalse(text(By.className("legend-note")).contains("white"), text(By.className("legend-note")));
        assertEquals(frameMin, legendValue("legend-min"), 1e-6, "viridis spans the frame's own range");
        assertFalse(rgb(nearestZero(id, "#heatmaps")).stream().allMatch(c -> c >= 235), "viridis has no white");

        // the choice holds for other epochs
        slide("epoch-slider", "0");
        waitFor("the maps of epoch 0", d -> heatmaps().stream().allMatch(c -> "0".equals(c.getAttribute("data-epoch"))));
        assertTrue(heatmaps().stream().allMatch(c -> "viridis".equals(c.getAttribute("data-colours"))));
        assertNoConsoleErrors();
    }

    @Test
    void aReluRunStartsOnViridis() throws Exception {
        String id = startRun("relu colours", smallRun(16, 8, 2).replace("}", ",\"activation\":\"relu\"}"));
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        waitFor("the heatmaps of the last epoch", d -> heatmaps().size() == 10
                && heatmaps().stream().allMatch(c -> "2".equals(c.getAttribute("data-epoch"))));
        assertEquals("viridis", colourChoice(), "a relu run's default colour map");
        assertTrue(heatmaps().stream().allMatch(c -> "viridis".equals(c.getAttribute("data-colours"))));
        assertFalse(text(By.className("legend-note")).contains("white"));

        new Select(driver.findElement(By.id("colour-scale"))).selectByValue("diverging");
        waitFor("the maps on the diverging map", d -> heatmaps().stream()
                .allMatch(c -> "diverging".equals(c.getAttribute("data-colours"))));
        assertTrue(text(By.className("legend-note")).contains("white = 0"));
        assertEquals(-legendValue("legend-max"), legendValue("legend-min"));
        assertNoConsoleErrors();
    }

    @Test
    void theComparisonIsDivergingWhenEveryRunIsSineOrTanhWithOneSymmetricSharedScale() throws Exception {
        String sine = startRun("compare sine", 16, 8);
        String tanh = startRun("compare tanh", smallRun(12, 6, 3).replace("}", ",\"activation\":\"tanh\"}"));
        String relu = startRun("compare relu", smallRun(12, 6, 3).replace("}", ",\"activation\":\"relu\"}"));
        for (String id : List.of(sine, tanh, relu)) {
            awaitCompleted(id);
        }
        By maps = By.cssSelector("#compare-heatmaps canvas.heatmap");

        driver.get(base + "/compare?ids=" + sine + "," + tanh);
        waitFor("twenty maps at epoch 3", d -> d.findElements(maps).size() == 20
                && d.findElements(maps).stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));
        assertEquals("diverging", colourChoice());
        assertTrue(driver.findElements(maps).stream().allMatch(c -> "diverging".equals(c.getAttribute("data-colours"))));
        for (String id : List.of(sine, tanh)) {
            Map<?, ?> zero = nearestZero(id, "#compare-heatmaps .compare-row[data-run='" + id + "']");
            assertTrue(((Number) zero.get("relative")).doubleValue() >= 0.02
                    || rgb(zero).stream().allMatch(c -> c >= 235), "the cell of about 0 is not white: " + zero);
        }

        // one scale for both: symmetric over the larger magnitude of the two frames
        driver.findElement(By.cssSelector("input[name='scale'][value='shared']")).click();
        By shared = By.cssSelector("#legend-slot .legend");
        waitFor("the shared legend", d -> d.findElement(shared).isDisplayed());
        WebElement legend = driver.findElement(shared);
        assertTrue(legend.findElement(By.className("legend-note")).getText().contains("white = 0"));
        double limit = Math.max(limitOf(sine), limitOf(tanh));
        assertEquals(limit, Double.parseDouble(legend.findElement(By.className("legend-max")).getAttribute("data-value")),
                1e-6);
        assertEquals(-limit, Double.parseDouble(legend.findElement(By.className("legend-min")).getAttribute("data-value")),
                1e-6);
        assertTrue(driver.findElements(maps).stream().allMatch(c -> "diverging".equals(c.getAttribute("data-colours"))));

        // a relu run among them: viridis
        driver.get(base + "/compare?ids=" + sine + "," + relu);
        waitFor("twenty maps at epoch 3", d -> d.findElements(maps).size() == 20
                && d.findElements(maps).stream().allMatch(c -> "3".equals(c.getAttribute("data-epoch"))));
        assertEquals("viridis", colourChoice());
        assertTrue(driver.findElements(maps).stream().allMatch(c -> "viridis".equals(c.getAttribute("data-colours"))));
        assertNoConsoleErrors();
    }

    private static String colourChoice() {
        return new Select(driver.findElement(By.id("colour-scale"))).getFirstSelectedOption().getAttribute("value");
    }

    private static double legendValue(String className) {
        return Double.parseDouble(driver.findElement(By.className(className)).getAttribute("data-value"));
    }

    private static List<String> hashes() {
        return heatmaps().stream().map(c -> (String) pixels(c).get("hash")).collect(Collectors.toList());
    }

    private static Map<?, ?> nearestZero(String id, String container) {
        Map<?, ?> zero = (Map<?, ?>) js().executeAsyncScript(NEAREST_ZERO, id, 3, container);
        assertNull(zero.get("error"), String.valueOf(zero.get("error")));
        return zero;
    }

    private static List<Integer> rgb(Map<?, ?> zero) {
        return ((List<?>) zero.get("rgb")).stream().map(n -> ((Number) n).intValue()).collect(Collectors.toList());
    }

    /** max(|min|, |max|) of a run's frame of epoch 3 (the page's own fetch, so the page need not show it). */
    private static double limitOf(String id) {
        Map<?, ?> frame = (Map<?, ?>) js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(`/api/runs/${arguments[0]}/heatmaps/3`).then(r => r.arrayBuffer()).then(buf => {"
                + "  const v = new DataView(buf); done({min: v.getFloat32(24, true), max: v.getFloat32(28, true)}); });",
                id);
        return Math.max(Math.abs(((Number) frame.get("min")).doubleValue()),
                Math.abs(((Number) frame.get("max")).doubleValue()));
    }
}
