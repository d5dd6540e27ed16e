package org.neuralgrid.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.RunBus;

/**
 * The web side's end of {@link RunBus}: one method per request, each answering a future of the reply body. A
 * failed future carries the bus's {@link io.vertx.core.eventbus.ReplyException} unchanged; {@link ApiError} maps
 * it to an HTTP answer.
 */
final class RunBusClient {
    /** Commands and reads: the training side answers these from its store, in milliseconds. */
    static final long TIMEOUT_MS = 15_000;
    /** Weights of a large grid and a delete that first stops a run take longer. */
    static final long SLOW_TIMEOUT_MS = 60_000;

    private final EventBus bus;
    private final DeliveryOptions normal = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);
    private final DeliveryOptions slow = new DeliveryOptions().setSendTimeout(SLOW_TIMEOUT_MS);

    RunBusClient(EventBus bus) {
        this.bus = bus;
    }

    /** {@code {"name"?, "config"}} → {@code {"id"}} */
    Future<JsonObject> start(JsonObject request) {
        return json(RunBus.START, request, normal);
    }

    /** → {@code {"runs": [summary, ...]}} newest first */
    Future<JsonObject> list() {
        return json(RunBus.LIST, new JsonObject(), normal);
    }

    /** → summary plus {@code "config"} */
    Future<JsonObject> get(String id) {
        return json(RunBus.GET, byId(id), normal);
    }

    /** → {@code {"id", "epochs": [...]}} */
    Future<JsonObject> metrics(String id) {
        return json(RunBus.METRICS, byId(id), normal);
    }

    /** → the metrics as CSV text */
    Future<String> metricsCsv(String id) {
        return bus.<String>request(RunBus.METRICS_CSV, byId(id), normal).map(Message::body);
    }

    /** a START body → {@code {"errors", "grid"?, "parameters"?, "estimatedBytes"?}} */
    Future<JsonObject> check(JsonObject request) {
        return json(RunBus.CHECK, request, normal);
    }

    Future<JsonObject> cancel(String id) {
        return json(RunBus.CANCEL, byId(id), normal);
    }

    Future<JsonObject> resume(String id) {
        return json(RunBus.RESUME, byId(id), normal);
    }

    Future<JsonObject> delete(String id) {
        return json(RunBus.DELETE, byId(id), slow);
    }

    /** → the {@link org.neuralgrid.io.HeatmapFrame} bytes of one epoch's maps of a kind ("mean", "std", ...) */
    Future<Buffer> heatmap(String id, int epoch, String kind) {
        return bytes(RunBus.HEATMAP, byId(id).put("epoch", epoch).put("kind", kind), normal);
    }

    /** → the bytes of the final ("final") or best ("best") weights */
    Future<Buffer> weights(String id, String which) {
        return bytes(RunBus.WEIGHTS, byId(id).put("which", which), slow);
    }

    /** → {@code {"devices": [...]}} */
    Future<JsonObject> devices() {
        return json(RunBus.DEVICES, new JsonObject(), normal);
    }

    /** → {@code {"nodes": [announcement + "lastSeen", "health", "self", ...]}} (see {@link NodeBus#LIST}) */
    Future<JsonObject> nodes() {
        return json(NodeBus.LIST, new JsonObject(), normal);
    }

    /** A worker node drains (true) or takes runs again (false) → its announcement (see {@link NodeBus#drain}) */
    Future<JsonObject> drain(String node, boolean drain) {
        return json(NodeBus.drain(node), new JsonObject().put("drain", drain), normal);
    }

    /** → {@code {"fashionMnist": {...}}} */
    Future<JsonObject> datasets() {
        return json(RunBus.DATASETS, new JsonObject(), normal);
    }

    /** a probe request (see {@link RunBus#PROBE}) → what the model makes of the image */
    Future<JsonObject> probe(JsonObject request) {
        return json(RunBus.PROBE, request, slow);
    }

    /** {@code {"id", "class"?, "from"?, "count"?}} → {@code {"total", "samples"}} */
    Future<JsonObject> testImages(JsonObject request) {
        return json(RunBus.TEST_IMAGES, request, slow);
    }

    /** a sweep (see {@link RunBus#SWEEP_START}) → {@code {"id", "runs"}} */
    Future<JsonObject> startSweep(JsonObject request) {
        return json(RunBus.SWEEP_START, request, slow);
    }

    /** a sweep → {@code {"errors", "fields", "points", "runs", "estimatedSeconds"}} */
    Future<JsonObject> checkSweep(JsonObject request) {
        return json(RunBus.SWEEP_CHECK, request, normal);
    }

    /** → {@code {"sweeps": [sweep summary, ...]}} newest first */
    Future<JsonObject> sweeps() {
        return json(RunBus.SWEEP_LIST, new JsonObject(), normal);
    }

    /** → sweep summary plus "spec", "runs", "points" */
    Future<JsonObject> sweep(String id) {
        return json(RunBus.SWEEP_GET, byId(id), normal);
    }

    Future<JsonObject> cancelSweep(String id) {
        return json(RunBus.SWEEP_CANCEL, byId(id), normal);
    }

    Future<JsonObject> resumeSweep(String id) {
        return json(RunBus.SWEEP_RESUME, byId(id), normal);
    }

    Future<JsonObject> deleteSweep(String id) {
        return json(RunBus.SWEEP_DELETE, byId(id), slow);
    }

    /** → the whole sweep as JSON or CSV text */
    Future<String> exportSweep(String id, String format) {
        return bus.<String>request(RunBus.SWEEP_EXPORT, byId(id).put("format", format), slow).map(Message::body);
    }

    private static JsonObject byId(String id) {
        return new JsonObject().put("id", id);
    }

    private Future<JsonObject> json(String address, JsonObject body, DeliveryOptions options) {
        return bus.<JsonObject>request(address, body, options).map(Message::body);
    }

    private Future<Buffer> bytes(String address, JsonObject body, DeliveryOptions options) {
        return bus.<Buffer>request(address, body, options).map(Message::body);
    }
}
