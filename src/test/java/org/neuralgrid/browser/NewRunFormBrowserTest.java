package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The new-run form in a real browser ({@link DashboardFixture}): built from the server's field descriptors, its
 * recipes and its estimate asked of the server, and the server's field errors next to their fields.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class NewRunFormBrowserTest extends DashboardFixture {

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
    void theFormIsBuiltFromTheServersFieldDescriptors() {
        openTheForm();
        List<?> fields = (List<?>) js().executeScript(
                "return JSON.parse(document.getElementById('page-data').textContent).fields;");
        assertFalse(fields.isEmpty(), "no field descriptors in the page data");
        List<String> sections = new ArrayList<>();
        for (Object o : fields) {
            Map<?, ?> f = (Map<?, ?>) o;
            String name = (String) f.get("name");
            WebElement input = driver.findElement(By.id("f-" + name));
            WebElement field = input.findElement(By.xpath("./ancestor::div[contains(@class,'field')][1]"));
            assertTrue(field.findElement(By.tagName("label")).getAttribute("textContent")
                    .startsWith((String) f.get("label")), name);
            assertEquals(name, field.findElement(By.className("field-error")).getAttribute("data-field"));
            assertEquals(name + "-help", field.findElement(By.className("help")).getAttribute("id"));
            if (!field.isDisplayed()) {
                assertTrue(f.containsKey("when"), name + " is hidden but applies always");
            } else if (!String.valueOf(f.get("help")).isEmpty() && !f.containsKey("choices")
                    && !f.containsKey("helpWhen")) {
                assertTrue(text(By.id(name + "-help")).startsWith((String) f.get("help")), name);
            }
            if ("integer".equals(f.get("kind")) && f.get("max") != null) {
                assertEquals(String.valueOf(f.get("max")), input.getAttribute("max"), name);
                assertEquals(Boolean.TRUE.equals(f.get("odd")) ? "2" : "1", input.getAttribute("step"), name);
            }
            if ("number".equals(f.get("kind"))) {
                assertEquals("decimal", input.getAttribute("inputmode"), name);
            }
            String title = (String) f.get("sectionTitle");
            if (!sections.contains(title)) {
                sections.add(title);
            }
        }
        List<String> legends = driver.findElements(By.cssSelector("#config-fields legend")).stream()
                .map(e -> e.getAttribute("textContent")).toList();
        assertEquals(sections, legends);
        assertEquals(String.valueOf(js().executeScript(
                        "return JSON.parse(document.getElementById('page-data').textContent).nameMaxLength;")),
                driver.findElement(By.id("f-name")).getAttribute("maxlength"));

        // the schedule's own fields apply to the step schedule only
        assertEquals("step", new Select(driver.findElement(By.id("f-schedule"))).getFirstSelectedOption()
                .getAttribute("value"));
        assertTrue(driver.findElement(By.id("f-lrStep")).isDisplayed() && driver.findElement(By.id("f-lrGamma")).isDisplayed());
        new Select(driver.findElement(By.id("f-schedule"))).selectByValue("cosine");
        assertFalse(driver.findElement(By.id("f-lrStep")).isDisplayed(), "lrStep shown for a cosine schedule");
        assertFalse(driver.findElement(By.id("f-lrGamma")).isDisplayed(), "lrGamma shown for a cosine schedule");
        new Select(driver.findElement(By.id("f-schedule"))).selectByValue("step");
        assertTrue(driver.findElement(By.id("f-lrStep")).isDisplayed());

        // a choice's help replaces the field's while it is chosen
        new Select(driver.findElement(By.id("f-dataset"))).selectByValue("synthetic");
        assertTrue(text(By.id("dataset-help")).startsWith("Generated"), text(By.id("dataset-help")));
        assertTrue(driver.findElement(By.id("f-samples")).isDisplayed());

        // the estimate is the server's, and follows the values
        waitFor("an estimate", d -> text(By.id("estimate")).contains(" parameters · about "));
        setValue("height", "16");
        setValue("width", "8");
        // 16 * 784 + 16 input weights and biases, 2 * 8 * 16 grid weights and biases, 10 * 16 + 10 output
        waitFor("the estimate of a 16x8 grid", d -> text(By.id("estimate")).startsWith("12,986 parameters"));
        assertTrue(text(By.id("estimate")).endsWith("16×8 grid"), text(By.id("estimate")));
        assertNoConsoleErrors();
    }

    @Test
    void theRecipesFillTheFormFromTheServersValuesAndKeepTheGridType() {
        openTheForm();
        // one button per recipe of the page data, in its order, with the recipe's help as its title
        List<?> recipes = (List<?>) js().executeScript(
                "return JSON.parse(document.getElementById('page-data').textContent).recipes;");
        List<WebElement> buttons = driver.findElements(By.cssSelector("#recipes button"));
        assertEquals(recipes.size(), buttons.size());
        for (int i = 0; i < recipes.size(); i++) {
            Map<?, ?> r = (Map<?, ?>) recipes.get(i);
            String id = (String) r.get("id");
            String expected = switch (id) {
                case "published" -> "reset-recipe";
                case "quick-look" -> "quick-look";
                default -> "recipe-" + id;
            };
            assertEquals(expected, buttons.get(i).getAttribute("id"));
            assertEquals(String.valueOf(r.get("help")), buttons.get(i).getAttribute("title"), id);
            assertEquals(String.valueOf(r.get("label")), buttons.get(i).getText(), id);
        }

        new Select(driver.findElement(By.id("f-gridType"))).selectByValue("3d");
        setValue("kernel", "5");
        driver.findElement(By.id("quick-look")).click();
        assertEquals("3d", new Select(driver.findElement(By.id("f-gridType"))).getFirstSelectedOption()
                .getAttribute("value"), "a recipe keeps the grid type");
        Map<?, ?> values = (Map<?, ?>) js().executeScript("return JSON.parse(document.getElementById('page-data')"
                + ".textContent).recipes.find(r => r.id === 'quick-look').values;");
        for (Map.Entry<?, ?> e : values.entrySet()) {
            assertEquals(String.valueOf(e.getValue()), driver.findElement(By.id("f-" + e.getKey()))
                    .getAttribute("value"), String.valueOf(e.getKey()));
        }
        assertEquals("3", driver.findElement(By.id("f-kernel")).getAttribute("value"), "back to the default");
        assertEquals("quick look", driver.findElement(By.id("f-name")).getAttribute("value"));
        assertTrue(driver.findElement(By.id("f-samples")).isDisplayed(), "the quick look's synthetic set");
        waitFor("the quick look's estimate", d -> text(By.id("estimate")).endsWith("28×28×"
                + values.get("layers") + " grid"));

        driver.findElement(By.id("reset-recipe")).click();
        assertEquals("3d", new Select(driver.findElement(By.id("f-gridType"))).getFirstSelectedOption()
                .getAttribute("value"));
        assertEquals("fashion-mnist", new Select(driver.findElement(By.id("f-dataset"))).getFirstSelectedOption()
                .getAttribute("value"));
        assertEquals("published recipe", driver.findElement(By.id("f-name")).getAttribute("value"),
                "the published recipe sets a field over the defaults, so it names the run");
        assertEquals("half", new Select(driver.findElement(By.id("f-normalization"))).getFirstSelectedOption()
                .getAttribute("value"), "the 2021 code's normalisation");
        assertFalse(driver.findElement(By.id("f-samples")).isDisplayed());
        assertNoConsoleErrors();
    }
}
