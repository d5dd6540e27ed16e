package org.neuralgrid.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralgrid.bus.NodeBus;

/**
 * The nodes a dashboard node knows: the last announcement of each ({@link NodeBus#HEARTBEAT}) and when it came.
 * A node is added by its announcements and removed when it leaves the cluster's membership; one that stops
 * announcing stays, listed as silent. Not thread-safe: the node verticle uses it on its own context.
 */
final class NodeDirectory {
    private record Entry(JsonObject announcement, long seenMillis) {
    }

    private final String self;
    private final Map<String, Entry> nodes = new LinkedHashMap<>();

    NodeDirectory(String self) {
        this.self = self;
    }

    /** An announcement arrived at {@code nowMillis}. */
    void heard(JsonObject announcement, long nowMillis) {
        String id = announcement.getString("node");
        if (id != null && !id.isBlank()) {
            nodes.put(id, new Entry(announcement.copy(), nowMillis));
        }
    }

    /** The node left the cluster; true when it was listed. */
    boolean left(String nodeId) {
        return nodes.remove(nodeId) != null;
    }

    /** Keeps only the nodes that are members now (and this one); returns those removed. */
    List<String> retain(Collection<String> members) {
        List<String> gone = new ArrayList<>();
        nodes.keySet().removeIf(id -> {
            boolean out = !id.equals(self) && !members.contains(id);
            if (out) {
                gone.add(id);
            }
            return out;
        });
        return gone;
    }

    boolean knows(String nodeId) {
        return nodes.containsKey(nodeId);
    }

    int size() {
        return nodes.size();
    }

    /** {@code {"nodes": [...]}} as {@link NodeBus#LIST} answers: dashboards first, then by host and id. */
    JsonObject list(long nowMillis) {
        JsonArray list = new JsonArray();
        nodes.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Entry> e) ->
                                !NodeBus.DASHBOARD.equals(e.getValue().announcement().getString("role")))
                        .thenComparing(e -> e.getValue().announcement().getString("host", ""))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> list.add(e.getValue().announcement().copy()
                        .put("lastSeen", Instant.ofEpochMilli(e.getValue().seenMillis()).toString())
                        .put("health", nowMillis - e.getValue().seenMillis() > NodeBus.SILENT_MILLIS ? "silent" : "ok")
                        .put("self", e.getKey().equals(self))));
        return new JsonObject().put("nodes", list);
    }
}
