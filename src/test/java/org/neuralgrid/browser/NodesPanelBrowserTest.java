package org.neuralgrid.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The runs page's nodes panel in a real browser ({@link DashboardFixture}) against a plain server (no cluster): the
 * server is its one node, so the panel says in a line that it trains its runs itself, with the node's short id and
 * health and the devices GET /api/nodes lists, and no table of nodes; and the run page names no node unless the
 * run's summary has one.
 * The fixture deploys the dashboard's node verticle beside the dashboard, as {@code neuralgrid serve} does.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NodesPanelBrowserTest extends DashboardFixture {

    @Test
    void aPlainServerIsOneNodeThatTrainsItsRunsItself() throws Exception {
        JsonNode nodes = getJson("/api/nodes").get("nodes");
        assertEquals(1, nodes.size(), nodes.toString());
        JsonNode self = nodes.get(0);
        assertEquals("dashboard", self.path("role").asText(), self.toString());
        assertTrue(self.path("devices").size() > 0, self.toString());

        driver.get(base + "/");
        waitFor("the one-node line", d -> text(By.cssSelector("#nodes-single .nodes-line"))
                .startsWith("This server trains its runs itself (one node"));
        String line = text(By.cssSelector("#nodes-single .nodes-line"));
        assertTrue(line.contains(self.path("host").asText()), line);
        String id = self.path("node").asText();
        WebElement shortId = driver.findElement(By.cssSelector("#nodes-single .id"));
        assertEquals(id.substring(0, Math.min(8, id.length())), shortId.getText().trim());
        assertEquals(id, shortId.getAttribute("title"));
        assertEquals(self.path("health").asText(), text(By.cssSelector("#nodes-single .badge")));

        // its devices, as the API lists them
        List<String> shown = driver.findElements(By.cssSelector("#nodes-single .node-device")).stream()
                .map(e -> e.getText().trim()).collect(Collectors.toList());
        assertEquals(self.get("devices").size(), shown.size(), shown.toString());
        for (int i = 0; i < shown.size(); i++) {
            JsonNode d = self.get("devices").get(i);
            assertTrue(shown.get(i).startsWith(d.path("backend").asText() + " " + d.path("name").asText()),
                    shown.get(i) + " for " + d);
            assertTrue(shown.get(i).contains(d.path("gpu").asBoolean() ? "GPU" : "CPU"), shown.get(i));
            assertTrue(shown.get(i).contains("GiB"), shown.get(i));
        }

        // a line, not a table; nothing to drain
        assertFalse(driver.findElement(By.id("nodes-table-box")).isDisplayed(), "a table for one node");
        assertTrue(driver.findElements(By.cssSelector("#nodes-panel button")).isEmpty(), "a drain button");
        assertFalse(driver.findElement(By.id("nodes-error")).isDisplayed());
        assertEquals("", text(By.id("nodes-count")));

        // polled: the panel asks again within a few seconds and stays as it was
        int before = fetched("/api/nodes").size();
        waitFor("a second GET /api/nodes", d -> fetched("/api/nodes").size() > before);
        assertTrue(text(By.cssSelector("#nodes-single .nodes-line")).startsWith("This server trains its runs itself"));
        assertNoConsoleErrors();
    }

    @Test
    void theRunPageNamesTheNodeOnlyWhenTheSummaryHasOne() throws Exception {
        String id = startRun("node line", 8, 8);
        try {
            driver.get(base + "/runs/" + id);
            waitFor("the run's header", d -> "node line".equals(text(By.id("run-name"))));
            JsonNode node = summary(id).path("node");
            WebElement item = driver.findElement(By.id("meta-node-item"));
            if (node.isObject()) {
                waitFor("the node line", d -> item.isDisplayed());
                assertTrue(item.getText().startsWith("trained on node " + node.path("host").asText()), item.getText());
            } else {
                assertFalse(item.isDisplayed(), "a node line without a node: " + item.getText());
            }
            assertNoConsoleErrors();
        } finally {
            cancel(id);
        }
    }

    private static int status(String path) throws Exception {
        return http().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
