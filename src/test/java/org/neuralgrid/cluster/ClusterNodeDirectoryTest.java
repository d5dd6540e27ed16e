package org.neuralgrid.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralgrid.bus.NodeBus;

/** The dashboard's list of nodes: added by announcements, removed by membership, silent when quiet. */
class ClusterNodeDirectoryTest {
    private static JsonObject node(String id, String role, String host) {
        return new JsonObject().put("node", id).put("role", role).put("host", host).put("devices", new JsonArray());
    }

    @Test
    void nodesComeByAnnouncementAndGoByMembership() {
        NodeDirectory d = new NodeDirectory("dash");
        d.heard(node("dash", NodeBus.DASHBOARD, "10.0.0.9"), 1_000);
        d.heard(node("w2", NodeBus.WORKER, "10.0.0.2"), 1_000);
        d.heard(node("w1", NodeBus.WORKER, "10.0.0.1"), 1_000);
        JsonArray list = d.list(2_000).getJsonArray("nodes");
        assertEquals(List.of("dash", "w1", "w2"), list.stream().map(o -> ((JsonObject) o).getString("node")).toList());
        assertTrue(list.getJsonObject(0).getBoolean("self"));
        assertFalse(list.getJsonObject(1).getBoolean("self"));
        assertEquals("ok", list.getJsonObject(1).getString("health"));
        assertEquals("1970-01-01T00:00:01Z", list.getJsonObject(1).getString("lastSeen"));

        assertTrue(d.left("w2"));
        assertFalse(d.left("w2"));
        assertEquals(List.of("w1"), d.retain(List.of("dash")));
        assertEquals(1, d.size());
        assertTrue(d.knows("dash"), "a node never drops itself");
    }

    @Test
    void aNodeThatStopsAnnouncingIsListedAsSilent() {
        NodeDirectory d = new NodeDirectory("dash");
        d.heard(node("w1", NodeBus.WORKER, "10.0.0.1"), 0);
        JsonObject w1 = d.list(NodeBus.SILENT_MILLIS + 1).getJsonArray("nodes").getJsonObject(0);
        assertEquals("silent", w1.getString("health"));
        d.heard(node("w1", NodeBus.WORKER, "10.0.0.1"), NodeBus.SILENT_MILLIS);
        assertEquals("ok", d.list(NodeBus.SILENT_MILLIS + 1).getJsonArray("nodes").getJsonObject(0).getString("health"));
    }
}
