package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The run page's 3D view ({@link DashboardFixture}): a small 3D run's sheets as a stack that draws, turns when
 * dragged or with the arrow keys, leaves out more cells as the threshold rises, follows the epoch slider and the
 * class choice, and exports a PNG; a 2D run's page does not offer it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StackViewBrowserTest extends DashboardFixture {
    private static final By CANVAS = By.id("stack-canvas");

    @Test
    void a3dRunsStackDrawsTurnsFollowsTheThresholdAndEpochsAndExportsAPng() throws Exception {
        String id = startRun("stack 3d", "{\"gridType\":\"3d\",\"layers\":3,\"dataset\":\"synthetic\","
                + "\"samples\":512,\"testSamples\":128,\"batch\":64,\"epochs\":2,\"lr\":0.003,\"backend\":\"java\","
                + "\"threads\":1}");
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        waitFor("the sheets of the last epoch", d -> heatmaps().size() == 10
                && heatmaps().stream().allMatch(c -> "2".equals(c.getAttribute("data-epoch"))));
        assertFalse(driver.findElement(By.id("stack-view")).isDisplayed(), "the 3D view before it is chosen");

        driver.findElement(By.cssSelector("input[name='view'][value='stack']")).click();
        waitFor("the 3D view of epoch 2", d -> d.findElement(CANVAS).isDisplayed()
                && "2".equals(d.findElement(CANVAS).getAttribute("data-epoch")));
        assertFalse(driver.findElement(By.id("heatmaps")).isDisplayed(), "tiles shown beside the 3D view");
        assertFalse(driver.findElement(By.id("layer-control")).isDisplayed(), "a layer slider beside every layer");
        WebElement canvas = driver.findElement(CANVAS);
        assertEquals("diverging", canvas.getAttribute("data-colours"), "a sine run's colours");
        int shown = drawnPoints();
        assertTrue(shown > 0 && shown < 3 * 28 * 28, "points at the default threshold: " + shown);
        assertTrue(painted(canvas) > 100, "pixels off the background: " + painted(canvas));
        assertTrue(canvas.getAttribute("aria-label").contains("class T-shirt/top at epoch 2"),
                canvas.getAttribute("aria-label"));

        // a drag turns the stack: another picture, the same cells
        String before = hash(canvas);
        String yaw = canvas.getAttribute("data-yaw");
        new Actions(driver).moveToElement(canvas).clickAndHold().moveByOffset(80, 30).moveByOffset(40, 10)
                .release().perform();
        waitFor("the stack turned by the drag", d -> !yaw.equals(d.findElement(CANVAS).getAttribute("data-yaw")));
        waitFor("the turned picture", d -> !before.equals(hash(d.findElement(CANVAS))));
        assertEquals(shown, drawnPoints(), "turning keeps the cells");

        // so does an arrow key, with the canvas focused
        String turned = canvas.getAttribute("data-yaw");
        canvas.sendKeys(Keys.ARROW_LEFT);
        waitFor("the stack turned by a key", d -> !turned.equals(d.findElement(CANVAS).getAttribute("data-yaw")));

        // the threshold: at 0 nearly every cell, near the top a few
        slide("stack-threshold", "0");
        waitFor("more points at threshold 0", d -> drawnPoints() > shown);
        slide("stack-threshold", "max");
        waitFor("fewer points at the largest threshold", d -> drawnPoints() < shown);
        js().executeScript("const s = document.getElementById('stack-threshold');"
                + "s.value = String(Number(s.max) * 0.6); s.dispatchEvent(new Event('input', {bubbles: true}));");
        waitFor("a threshold of 60 %", d -> drawnPoints() < shown);
        int atSixty = drawnPoints();

        // the epoch slider redraws the stack with that epoch's frame, at the threshold the user set
        String threshold = canvas.getAttribute("data-threshold");
        slide("epoch-slider", "0");
        waitFor("the 3D view of epoch 0", d -> "0".equals(d.findElement(CANVAS).getAttribute("data-epoch")));
        slide("epoch-slider", "max");
        waitFor("the 3D view of epoch 2 again", d -> "2".equals(d.findElement(CANVAS).getAttribute("data-epoch")));
        assertEquals(threshold, canvas.getAttribute("data-threshold"));
        assertEquals(atSixty, drawnPoints());

        // another class
        new Select(driver.findElement(By.id("stack-class"))).selectByIndex(7);
        waitFor("class 7 in the 3D view", d -> "7".equals(d.findElement(CANVAS).getAttribute("data-class")));
        assertTrue(canvas.getAttribute("aria-label").contains("class Sneaker"), canvas.getAttribute("aria-label"));

        // the PNG: the run, the class and the epoch in its name
        driver.findElement(By.id("stack-export")).click();
        Path png = waitForDownload(id, ".png");
        assertEquals("neuralgrid-" + id + "-3d-Sneaker-epoch2.png", png.getFileName().toString());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "not a PNG");

        // back to one layer: the tiles and the layer slider return
        driver.findElement(By.cssSelector("input[name='view'][value='layer']")).click();
        waitFor("the tiles again", d -> d.findElement(By.id("heatmaps")).isDisplayed()
                && d.findElement(By.id("layer-control")).isDisplayed());
        assertFalse(driver.findElement(By.id("stack-view")).isDisplayed());
        assertNoConsoleErrors();
    }

    @Test
    void a2dRunsPageDoesNotOfferThe3dView() throws Exception {
        String id = startRun("stack 2d", smallRun(12, 6, 1));
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        waitFor("the maps of epoch 1", d -> heatmaps().size() == 10
                && heatmaps().stream().allMatch(c -> "1".equals(c.getAttribute("data-epoch"))));
        assertFalse(driver.findElement(By.id("view-choice")).isDisplayed(), "a view choice for a 2D run");
        assertFalse(driver.findElement(By.cssSelector("input[name='view'][value='stack']")).isDisplayed());
        assertFalse(driver.findElement(By.id("stack-view")).isDisplayed());
        assertNoConsoleErrors();
    }

    /** The number of cells the 3D view drew. */
    private static int drawnPoints() {
        String n = driver.findElement(CANVAS).getAttribute("data-points");
        return n == null ? -1 : Integer.parseInt(n);
    }

    /** The canvas's pixels that differ from its top left corner's (the background). */
    private static long painted(WebElement canvas) {
        return ((Number) js().executeScript("const c = arguments[0], px = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < px.length; i += 4) if (px[i] !== px[0] || px[i + 1] !== px[1]"
                + " || px[i + 2] !== px[2]) n++; return n;", canvas)).longValue();
    }

    private static String hash(WebElement canvas) {
        Map<?, ?> info = pixels(canvas);
        return (String) info.get("hash");
    }
}
