package org.neuralgrid.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.neuralgrid.bus.RunId;
import org.neuralgrid.bus.RunName;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.model.SweepSpec;

/**
 * The pages (Thymeleaf templates under webapp/templates). Each page gets its data as JSON in a script
 * block; every page's data holds the class names, the status sets and the configuration's field descriptors, so
 * that no script keeps a copy of a rule the server owns. Templates are rendered on a worker thread, because their
 * first rendering reads the template from the classpath.
 */
final class DashboardPages {
    static final String TEMPLATES = "webapp/templates/";
    /** Runs on one comparison page. */
    static final int MAX_COMPARE = 12;

    private final Vertx vertx;
    private final RunBusClient runs;
    private final ThymeleafTemplateEngine templates;
    private final Map<String, Object> common;

    DashboardPages(Vertx vertx, RunBusClient runs) {
        this.vertx = vertx;
        this.runs = runs;
        this.templates = ThymeleafTemplateEngine.create(vertx);
        this.common = commonData();
    }

    /** {@code /}: the sweeps and the runs, the new-run form, the devices and the dataset. */
    void index(RoutingContext rc) {
        Future<JsonObject> list = runs.list();
        // the page polls the sweeps itself: a list that cannot be read now still renders the page
        Future<JsonArray> sweeps = runs.sweeps()
                .map(s -> s.getJsonArray("sweeps", new JsonArray()))
                .recover(e -> Future.succeededFuture(new JsonArray()));
        Future<JsonArray> devices = runs.devices()
                .map(d -> d.getJsonArray("devices", new JsonArray()))
                .recover(e -> Future.succeededFuture(new JsonArray()));
        Future<JsonObject> dataset = runs.datasets()
                .map(d -> d.getJsonObject("fashionMnist", new JsonObject()))
                .recover(e -> Future.succeededFuture(new JsonObject().put("present", false)
                        .put("fetching", false).put("message", ApiError.from(e).message()).put("fraction", 0)));
        Future.all(list, sweeps, devices, dataset)
                .map(all -> model()
                        .with("runs", plainList(list.result().getJsonArray("runs", new JsonArray())))
                        .with("sweeps", plainList(sweeps.result()))
                        .with("devices", plainList(devices.result()))
                        .with("dataset", plainMap(dataset.result())))
                .compose(model -> render("index.html", model))
                .onSuccess(html -> send(rc, html))
                .onFailure(e -> Replies.failure(rc, e));
    }

    /** {@code /runs/:id}: one run. */
    void run(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (!RunId.isValid(id)) {
            Replies.error(rc, ApiError.notFound("there is no run '" + Replies.shorten(id, 40) + "'"));
            return;
        }
        runs.get(id)
                .map(run -> model().with("id", id).with("run", plainMap(run)))
                .compose(model -> render("run.html", model))
                .onSuccess(html -> send(rc, html))
                .onFailure(e -> Replies.failure(rc, e));
    }

    /**
     * {@code /sweeps/:id}: one sweep, drawn at once from the sweep as it is now; the page then keeps asking the API
     * for it while it runs. The most runs "Compare selected" may open comes along.
     */
    void sweep(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (!RunId.isValid(id)) {
            Replies.error(rc, ApiError.notFound("there is no sweep '" + Replies.shorten(id, 40) + "'"));
            return;
        }
        runs.sweep(id)
                .map(sweep -> model().with("id", id).with("sweep", plainMap(sweep)).with("maxCompare", MAX_COMPARE))
                .compose(model -> render("sweep.html", model))
                .onSuccess(html -> send(rc, html))
                .onFailure(e -> Replies.failure(rc, e));
    }

    /** {@code /compare?ids=a,b,c}: every id must name a run. */
    void compare(RoutingContext rc) {
        Set<String> ids = new LinkedHashSet<>();
        for (String param : rc.queryParam("ids")) {
            for (String id : param.split(",")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        }
        String bad = ids.stream().filter(id -> !RunId.isValid(id)).findFirst().orElse(null);
        if (bad != null) {
            Replies.error(rc, ApiError.notFound("there is no run '" + Replies.shorten(bad, 40) + "'"));
            return;
        }
        if (ids.size() > MAX_COMPARE) {
            Replies.error(rc, ApiError.of(400, "at most " + MAX_COMPARE + " runs can be compared at once"));
            return;
        }
        List<Future<JsonObject>> found = ids.stream().map(runs::get).toList();
        Future.all(found)
                .map(all -> model().with("ids", List.copyOf(ids))
                        .with("runs", found.stream().map(f -> plainMap(f.result())).toList()))
                .compose(model -> render("compare.html", model))
                .onSuccess(html -> send(rc, html))
                .onFailure(e -> Replies.failure(rc, e));
    }

    private PageModel model() {
        return new PageModel(new LinkedHashMap<>(common));
    }

    /** What every page's script needs of the server's rules. */
    private static Map<String, Object> commonData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("classNames", List.of(Dataset.CLASS_NAMES));
        data.put("statuses", Map.of("active", RunStatus.ids(RunStatus::active),
                "resumable", RunStatus.ids(RunStatus::resumable), "finished", RunStatus.ids(RunStatus::finished)));
        data.put("fields", plainList(new JsonArray(RunConfigJson.describeFields().toString())));
        data.put("recipes", plainList(new JsonArray(RunConfigJson.describeRecipes().toString())));
        data.put("nameMaxLength", RunName.MAX_LENGTH);
        data.put("sweepRules", sweepRules());
        return Map.copyOf(data);
    }

    /** What the sweep form offers: the fields it never lists values for (and why), the limits, the modes. */
    private static Map<String, Object> sweepRules() {
        List<Map<String, String>> modes = new ArrayList<>();
        for (SweepSpec.Mode m : SweepSpec.Mode.values()) {
            modes.add(Map.of("id", m.id(), "label", m.label(), "help", m.help()));
        }
        return Map.of("notSwept", new TreeMap<>(SweepSpec.NOT_SWEPT), "maxSeeds", SweepSpec.MAX_SEEDS,
                "maxRuns", SweepSpec.MAX_RUNS, "modes", modes);
    }

    private void send(RoutingContext rc, Buffer html) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, Replies.HTML).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(html);
    }

    private Future<Buffer> render(String template, PageModel model) {
        return vertx.executeBlocking(() -> templates.render(model.data(), TEMPLATES + template), false)
                .compose(rendered -> rendered);
    }

    /** A page's data, built up by name. */
    private record PageModel(Map<String, Object> data) {
        PageModel with(String key, Object value) {
            data.put(key, value);
            return this;
        }
    }

    /** JsonObjects and JsonArrays as plain maps and lists, as the templates' expressions expect. */
    static Map<String, Object> plainMap(JsonObject json) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json) {
            map.put(e.getKey(), plain(e.getValue()));
        }
        return map;
    }

    static List<Object> plainList(JsonArray json) {
        List<Object> list = new ArrayList<>(json.size());
        for (Object v : json) {
            list.add(plain(v));
        }
        return list;
    }

    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plainMap(o);
        }
        if (v instanceof JsonArray a) {
            return plainList(a);
        }
        return v;
    }
}
