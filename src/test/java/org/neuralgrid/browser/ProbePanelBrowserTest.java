package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuralgrid.data.Dataset;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The run page's probe panel in a real browser ({@link DashboardFixture}): a small synthetic 2D run trained to the
 * end, one of its test images picked from the thumbnails (ten probabilities that sum to 1, an activation grid of the
 * grid's shape), the paths of another class traced (the saliency maps redrawn for it), a stroke drawn on the pad
 * (probed as a drawing), the saved best weights chosen, the view exported as PNG and JSON, a picture file
 * probed, and a file the server cannot read refused with its reason shown in the panel; and a 3D run's grids
 * shown one sheet at a time. With
 * {@code -Dneuralgrid.screenshotProbe=path} the panel is saved as a PNG there (after the drawing's answer).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ProbePanelBrowserTest extends DashboardFixture {

    @Test
    void aFinishedRunIsProbedWithATestImageATracedClassAndADrawing() throws Exception {
        String id = startRun("probe run", smallRun(16, 8, 2));
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        // the thumbnails load once the panel comes near the screen
        js().executeScript("document.getElementById('probe-panel').scrollIntoView({block: 'start'});");
        waitFor("the test images' thumbnails", d -> !thumbnails().isEmpty());
        assertEquals("0", new Select(driver.findElement(By.id("probe-test-class"))).getFirstSelectedOption()
                .getAttribute("value"));
        assertTrue(text(By.id("probe-page")).matches("1–\\d+ of \\d+"), text(By.id("probe-page")));

        // a test image: ten bars that sum to 1, the predicted class marked, the grid drawn as H rows x W columns
        WebElement thumb = thumbnails().get(0);
        String index = thumb.getAttribute("data-index");
        thumb.click();
        waitFor("the first answer", d -> "1".equals(panel().getAttribute("data-answers")));
        assertEquals("test", panel().getAttribute("data-source"));
        assertTrue(text(By.id("probe-source")).startsWith("test image #" + index + " ("), text(By.id("probe-source")));
        assertEquals("final weights, epoch 2", text(By.id("probe-params")));
        assertTrue(driver.findElement(By.cssSelector("#probe-which input[value=final]")).isSelected());
        assertTrue(!driver.findElement(By.cssSelector("#probe-which input[value=live]")).isEnabled(),
                "live parameters offered for a run that does not train");
        List<WebElement> bars = driver.findElements(By.cssSelector("#probe-probs li"));
        assertEquals(10, bars.size());
        double sum = 0;
        for (int c = 0; c < 10; c++) {
            assertEquals(Dataset.CLASS_NAMES[c], bars.get(c).findElement(By.className("probe-prob-name")).getText());
            sum += Double.parseDouble(bars.get(c).getAttribute("data-value"));
        }
        assertEquals(1.0, sum, 1e-3, "the probabilities' sum");
        int predicted = Integer.parseInt(driver.findElement(By.id("probe-probs")).getAttribute("data-predicted"));
        assertTrue(bars.get(predicted).getAttribute("class").contains("predicted"));
        Map<?, ?> grid = pixels(driver.findElement(By.id("probe-activations")));
        assertEquals(8L, ((Number) grid.get("w")).longValue(), "activation grid width = W");
        assertEquals(16L, ((Number) grid.get("h")).longValue(), "activation grid height = H");
        assertTrue(((Number) grid.get("colours")).longValue() > 1, "the activation grid is uniform");
        assertTrue(((Number) pixels(driver.findElement(By.id("probe-image"))).get("colours")).longValue() > 1,
                "the image is blank");
        WebElement cells = driver.findElement(By.id("probe-cell-saliency"));
        assertEquals(String.valueOf(predicted), cells.getAttribute("data-class"), "traced by default: the predicted");

        // trace the paths of another class: the same image again, the saliency redrawn for that class
        int other = (predicted + 1) % 10;
        String before = String.valueOf(pixels(driver.findElement(By.id("probe-pixel-saliency"))).get("hash"));
        new Select(driver.findElement(By.id("probe-trace-class"))).selectByValue(String.valueOf(other));
        waitFor("the saliency of class " + other, d -> "2".equals(panel().getAttribute("data-answers"))
                && String.valueOf(other).equals(driver.findElement(By.id("probe-cell-saliency"))
                        .getAttribute("data-class")));
        WebElement pixelSaliency = driver.findElement(By.id("probe-pixel-saliency"));
        assertEquals(String.valueOf(other), pixelSaliency.getAttribute("data-class"));
        assertTrue(!before.equals(String.valueOf(pixels(pixelSaliency).get("hash"))),
                "the pixel saliency was not redrawn");
        assertEquals(String.valueOf(predicted), driver.findElement(By.id("probe-probs")).getAttribute("data-predicted"),
                "the prediction does not depend on the class traced");

        // a stroke on the drawing pad is probed once it ends
        WebElement pad = driver.findElement(By.id("probe-pad"));
        js().executeScript("arguments[0].scrollIntoView({block: 'center'});", pad);
        new Actions(driver).moveToElement(pad, -60, -40).clickAndHold().moveByOffset(40, 30).moveByOffset(40, 30)
                .moveByOffset(30, -50).release().perform();
        waitFor("the drawing's answer", d -> "3".equals(panel().getAttribute("data-answers"))
                && "drawn".equals(panel().getAttribute("data-source")));
        assertEquals("drawn", text(By.id("probe-source")));
        assertTrue(Integer.parseInt(pad.getAttribute("data-inked")) > 20,
                "ink on the pad: " + pad.getAttribute("data-inked"));
        assertEquals(10, driver.findElements(By.cssSelector("#probe-probs li")).size());

        // the best weights, where the run saved them
        JsonNode run = summary(id);
        if (run.path("weights").path("best").asBoolean(false)) {
            driver.findElement(By.cssSelector("#probe-which input[value=best]")).click();
            waitFor("the answer with the best weights", d -> "4".equals(panel().getAttribute("data-answers")));
            assertEquals("best weights, epoch " + run.path("bestEpoch").asInt(), text(By.id("probe-params")));
        }

        String shot = System.getProperty("neuralgrid.screenshotProbe");
        if (shot != null) {
            js().executeScript("arguments[0].scrollIntoView({block: 'start'});", panel());
            Files.write(Files.createDirectories(Path.of(shot).toAbsolutePath().getParent()).resolve(
                    Path.of(shot).getFileName()), panel().getScreenshotAs(OutputType.BYTES));
        }

        // the exports: a PNG picture and the answer as JSON, named after the run, the source and the class
        driver.findElement(By.id("probe-json")).click();
        Path json = waitForDownload(id, ".json");
        assertTrue(json.getFileName().toString().startsWith("neuralgrid-" + id + "-probe-drawn-class"),
                json.getFileName().toString());
        JsonNode answer = JSON.readTree(json.toFile());
        assertEquals(784, answer.path("pixelSaliency").size());
        assertEquals(16 * 8, answer.path("activations").size());
        driver.findElement(By.id("probe-png")).click();
        Path png = waitForDownload(id, ".png");
        if (shot != null) {
            Files.copy(png, Path.of(shot).toAbsolutePath().resolveSibling("probe-export.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "not a PNG: " + png);

        assertTrue(driver.findElement(By.id("probe-error")).getAttribute("hidden") != null, text(By.id("probe-error")));

        // a picture file is sent as it is; the server scales it to 28x28 and says how big it was
        String answers = panel().getAttribute("data-answers");
        Path picture = temp.resolve("probe-shoe.png");
        BufferedImage shoe = new BufferedImage(56, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = shoe.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(8, 16, 40, 12);
        g.dispose();
        ImageIO.write(shoe, "png", picture.toFile());
        driver.findElement(By.id("probe-file")).sendKeys(picture.toString());
        waitFor("the picture's answer", d -> "file".equals(panel().getAttribute("data-source"))
                && !answers.equals(panel().getAttribute("data-answers")));
        assertTrue(text(By.id("probe-source")).startsWith("file probe-shoe.png (56×40"), text(By.id("probe-source")));

        // what the server cannot read is said in the panel, in its words; the answer shown stays
        Path bad = temp.resolve("not-a-picture.png");
        Files.writeString(bad, "these are not the bytes of a PNG");
        driver.findElement(By.id("probe-file")).sendKeys(bad.toString());
        waitFor("the server's reason in the panel", d -> driver.findElement(By.id("probe-error")).isDisplayed());
        assertTrue(text(By.id("probe-error")).startsWith("The probe failed: image: "), text(By.id("probe-error")));
        assertEquals("file", panel().getAttribute("data-source"));
        // (the address has ?which=best when the best weights were chosen above)
        assertNoConsoleErrors("/probe - Failed to load resource: the server responded with a status of 400",
                "/probe?which=best - Failed to load resource: the server responded with a status of 400");
    }

    @Test
    void a3dRunIsProbedOneSheetAtATime() throws Exception {
        String id = startRun("probe run 3d", "{\"gridType\":\"3d\",\"layers\":3,\"dataset\":\"synthetic\","
                + "\"samples\":256,\"testSamples\":64,\"batch\":64,\"epochs\":1,\"lr\":0.003,\"backend\":\"java\","
                + "\"threads\":1}");
        awaitCompleted(id);
        driver.get(base + "/runs/" + id);
        js().executeScript("document.getElementById('probe-panel').scrollIntoView({block: 'start'});");
        waitFor("the test images' thumbnails", d -> !thumbnails().isEmpty());
        thumbnails().get(0).click();
        waitFor("the answer", d -> "1".equals(panel().getAttribute("data-answers")));
        assertTrue(driver.findElement(By.id("probe-layer")).isDisplayed(), "no layer slider for a 3D grid");
        assertEquals("1 of 3", text(By.id("probe-layer-label")));
        WebElement activations = driver.findElement(By.id("probe-activations"));
        Map<?, ?> sheet = pixels(activations);
        assertEquals(28L, ((Number) sheet.get("w")).longValue());
        assertEquals(28L, ((Number) sheet.get("h")).longValue());
        assertTrue(((Number) sheet.get("colours")).longValue() > 1, "the first sheet is uniform");
        assertEquals("0", activations.getAttribute("data-layer"));
        slide("probe-layer", "2");
        waitFor("the last sheet", d -> "2".equals(driver.findElement(By.id("probe-activations"))
                .getAttribute("data-layer")) && "2".equals(driver.findElement(By.id("probe-cell-saliency"))
                .getAttribute("data-layer")));
        assertEquals("3 of 3", text(By.id("probe-layer-label")));
        assertNoConsoleErrors();
    }

    private static WebElement panel() {
        return driver.findElement(By.id("probe-panel"));
    }

    private static List<WebElement> thumbnails() {
        return driver.findElements(By.cssSelector("#probe-thumbs button.probe-thumb"));
    }
}
