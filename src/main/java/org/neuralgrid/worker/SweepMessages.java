package org.neuralgrid.worker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.engine.SweepCsv;
import org.neuralgrid.model.ConfigField;
import org.neuralgrid.model.FieldError;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.SweepSpec;
import org.neuralgrid.model.SweepSpecJson;
import org.neuralgrid.store.RunRecord;
import org.neuralgrid.store.RunStore.RunTotals;
import org.neuralgrid.store.SweepRecord;

/** The sweep message bodies of {@link RunBus} (SWEEP_*), built in one place. */
final class SweepMessages {
    /** A sweep's status: the first of these that any of its runs has, else completed. */
    private static final List<RunStatus> PRECEDENCE = List.of(RunStatus.RUNNING, RunStatus.QUEUED,
            RunStatus.INTERRUPTED, RunStatus.FAILED, RunStatus.CANCELLED);

    private SweepMessages() {
    }

    /** {@code {"id", "name", "status", "fields", "seeds", "mode", "runs", "counts", "progress", "created"}} */
    static JsonObject summary(SweepRecord sweep, List<RunRecord> runs) {
        Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
        runs.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        JsonObject byStatus = new JsonObject();
        counts.forEach((s, n) -> byStatus.put(s.id(), n));
        RunStatus status = PRECEDENCE.stream().filter(counts::containsKey).findFirst().orElse(RunStatus.COMPLETED);
        double progress = runs.stream().mapToDouble(RunRecord::progress).sum() / Math.max(1, runs.size());
        return new JsonObject()
                .put("id", sweep.id())
                .put("name", sweep.name())
                .put("status", status.id())
                .put("fields", new JsonArray(sweep.spec().sweptFields()))
                .put("seeds", sweep.spec().seeds())
                .put("mode", sweep.spec().mode().id())
                .put("runs", runs.size())
                .put("counts", byStatus)
                .put("progress", progress)
                .put("created", sweep.created().toString());
    }

    /** SWEEP_GET's reply: the summary, the spec, every run with its totals, and every point's means over seeds. */
    static JsonObject details(SweepRecord sweep, List<RunRecord> runs, Map<String, RunTotals> totals,
                              Function<RunRecord, Integer> sharing) {
        JsonArray runList = new JsonArray();
        for (RunRecord r : runs) {
            RunTotals t = totals.get(r.id());
            runList.add(RunMessages.summary(r)
                    .put("seed", r.config().seed())
                    .put("finalTestAccuracy", t == null ? null : RunMessages.finite(t.finalTestAccuracy()))
                    .put("seconds", t == null ? 0.0 : RunMessages.finite(t.seconds()))
                    .put("sharing", sharing.apply(r)));
        }
        return summary(sweep, runs)
                .put("spec", new JsonObject(SweepSpecJson.write(sweep.spec())))
                .put("runs", runList)
                .put("points", points(runs, totals));
    }

    /** Each point (in the order of its first run) with the means and deviations over its seeds. */
    private static JsonArray points(List<RunRecord> runs, Map<String, RunTotals> totals) {
        Map<String, List<RunRecord>> byPoint = new LinkedHashMap<>();
        runs.forEach(r -> byPoint.computeIfAbsent(r.point() == null ? "{}" : r.point(), p -> new java.util.ArrayList<>())
                .add(r));
        JsonArray points = new JsonArray();
        byPoint.forEach((point, members) -> {
            JsonObject values = new JsonObject(point);
            double[] best = members.stream().filter(r -> r.bestTestAccuracy() != null)
                    .mapToDouble(RunRecord::bestTestAccuracy).toArray();
            List<RunTotals> done = members.stream().filter(r -> r.status() == RunStatus.COMPLETED)
                    .map(r -> totals.get(r.id())).filter(java.util.Objects::nonNull).toList();
            double[] last = done.stream().mapToDouble(RunTotals::finalTestAccuracy).toArray();
            double[] seconds = done.stream().mapToDouble(RunTotals::seconds).toArray();
            points.add(new JsonObject()
                    .put("label", label(values))
                    .put("point", values)
                    .put("runs", new JsonArray(members.stream().map(RunRecord::id).toList()))
                    .put("finished", done.size())
                    .put("bestTestMean", mean(best))
                    .put("bestTestStd", std(best))
                    .put("finalTestMean", mean(last))
                    .put("finalTestStd", std(last))
                    .put("secondsMean", mean(seconds)));
        });
        return points;
    }

    /** "kernel=3, gain=0.5", as {@link SweepSpec.Point#label} writes it; "base" when nothing is swept. */
    private static String label(JsonObject point) {
        if (point.isEmpty()) {
            return "base";
        }
        StringBuilder s = new StringBuilder();
        point.forEach(e -> s.append(s.isEmpty() ? "" : ", ").append(e.getKey()).append('=').append(e.getValue()));
        return s.toString();
    }

    private static Double mean(double[] v) {
        return v.length == 0 ? null : RunMessages.finite(SweepCsv.mean(v));
    }

    private static Double std(double[] v) {
        return RunMessages.finite(SweepCsv.std(v));
    }

    /** SWEEP_CHECK's reply. {@code spec} is null when the body could not be read at all. */
    static JsonObject check(SweepSpec spec, List<FieldError> errors, Double estimatedSeconds) {
        JsonArray list = new JsonArray();
        errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
        JsonObject reply = new JsonObject().put("errors", list);
        if (spec != null) {
            reply.put("fields", new JsonArray(spec.sweptFields()))
                    .put("points", spec.pointCount())
                    .put("runs", spec.runCount());
        }
        return reply.put("estimatedSeconds", estimatedSeconds);
    }

    /** The whole sweep as JSON: its summary and spec, and every run with its configuration and epochs. */
    static String exportJson(SweepRecord sweep, List<RunRecord> runs, Function<String, List<EpochMetrics>> metrics) {
        JsonArray list = new JsonArray();
        for (RunRecord r : runs) {
            JsonArray epochs = new JsonArray();
            metrics.apply(r.id()).forEach(m -> epochs.add(RunMessages.epochMetrics(m)));
            list.add(RunMessages.details(r).put("seed", r.config().seed()).put("epochs", epochs));
        }
        JsonObject head = summary(sweep, runs).put("spec", new JsonObject(SweepSpecJson.write(sweep.spec())));
        return new JsonObject().put("sweep", head).put("runs", list).encodePrettily();
    }

    /**
     * The whole sweep as CSV: one row per run and epoch, {@code sweep,run,name,status,seed}, every configuration
     * field, then {@link MetricsCsv}'s columns; a run without epochs has one row with those empty.
     */
    static String exportCsv(SweepRecord sweep, List<RunRecord> runs, Function<String, List<EpochMetrics>> metrics) {
        StringBuilder out = new StringBuilder("sweep,run,name,status");
        RunConfig.FIELDS.forEach(f -> out.append(',').append(f.name()));
        out.append(',').append(MetricsCsv.HEADER).append('\n');
        String emptyMetrics = ",".repeat(MetricsCsv.HEADER.split(",").length - 1);
        for (RunRecord r : runs) {
            StringBuilder head = new StringBuilder(sweep.id()).append(',').append(r.id()).append(',')
                    .append(quoted(r.name())).append(',').append(r.status().id());
            for (ConfigField f : RunConfig.FIELDS) {
                head.append(',').append(quoted(f.text(r.config().get(f.name()))));
            }
            List<EpochMetrics> epochs = metrics.apply(r.id());
            if (epochs.isEmpty()) {
                out.append(head).append(',').append(emptyMetrics).append('\n');
            }
            for (EpochMetrics m : epochs) {
                boolean best = r.bestEpoch() != null && m.epoch() == r.bestEpoch();
                out.append(head).append(',').append(MetricsCsv.row(m, best)).append('\n');
            }
        }
        return out.toString();
    }

    /** A CSV cell: quoted when it holds a comma, a quote or a line break. */
    static String quoted(String text) {
        if (text == null) {
            return "";
        }
        return text.matches("(?s).*[,\"\\r\\n].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
