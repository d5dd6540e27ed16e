package org.neuralgrid.worker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.TrainingProgress;
import org.neuralgrid.model.FieldError;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.store.RunRecord;

/** The message bodies of {@link RunBus}, built in one place so that each shape is written once. */
final class RunMessages {
    static final String TYPE = "type";

    private RunMessages() {
    }

    /** {@code {"id", "name", "status", "epoch", "epochs", "progress", "bestTestAccuracy", "grid", ...}} */
    /** A request's JSON body, or an empty object for none (or another kind of body). */
    static JsonObject bodyOf(io.vertx.core.eventbus.Message<?> message) {
        return message.body() instanceof JsonObject json ? json : new JsonObject();
    }

    static JsonObject summary(RunRecord run) {
        return new JsonObject()
                .put("id", run.id())
                .put("name", run.name())
                .put("status", run.status().id())
                .put("epoch", run.epoch())
                .put("epochs", run.epochs())
                .put("progress", run.progress())
                .put("bestEpoch", run.bestEpoch())
                .put("bestTestAccuracy", run.bestTestAccuracy())
                .put("selectedBy", BestEpoch.selectedBy(run.config().validation() > 0))
                .put("weights", new JsonObject()
                        .put("final", run.weights().contains(RunFiles.Weights.FINAL))
                        .put("best", run.weights().contains(RunFiles.Weights.BEST)))
                .put("grid", run.config().gridText())
                .put("backend", run.backend())
                .put("device", run.device())
                .put("created", iso(run.created()))
                .put("started", iso(run.started()))
                .put("finished", iso(run.finished()))
                .put("message", run.message())
                .put("sweep", run.sweep())
                .put("point", run.point() == null ? null : new JsonObject(run.point()))
                .put("node", run.placement() == null ? null : new JsonObject()
                        .put("id", run.placement().node()).put("host", run.placement().host()));
    }

    /** The summary plus the full configuration, as GET answers. */
    static JsonObject details(RunRecord run) {
        return summary(run).put("config", new JsonObject(RunConfigJson.write(run.config())));
    }

    static JsonObject statusEvent(RunRecord run) {
        return summary(run).put(TYPE, "status");
    }

    static JsonObject summaryEvent(RunRecord run) {
        return summary(run).put(TYPE, "summary");
    }

    static JsonObject epochMetrics(EpochMetrics m) {
        return new JsonObject()
                .put("epoch", m.epoch())
                .put("trainLoss", finite(m.trainLoss()))
                .put("trainAccuracy", finite(m.trainAccuracy()))
                .put("validationLoss", finite(m.validationLoss()))
                .put("validationAccuracy", finite(m.validationAccuracy()))
                .put("testLoss", finite(m.testLoss()))
                .put("testAccuracy", finite(m.testAccuracy()))
                .put("learningRate", finite(m.learningRate()))
                .put("seconds", finite(m.seconds()))
                .put("samplesPerSecond", finite(m.samplesPerSecond()));
    }

    /** The metrics {@link #epochMetrics(EpochMetrics)} wrote (null for a value that was not finite). */
    static EpochMetrics epochMetrics(JsonObject j) {
        return new EpochMetrics(j.getInteger("epoch"), number(j, "trainLoss"), number(j, "trainAccuracy"),
                number(j, "validationLoss"), number(j, "validationAccuracy"), number(j, "testLoss"),
                number(j, "testAccuracy"), number(j, "learningRate"), number(j, "seconds"),
                number(j, "samplesPerSecond"));
    }

    static JsonObject best(BestEpoch best) {
        return new JsonObject().put("epoch", best.epoch()).put("accuracy", finite(best.accuracy()));
    }

    static BestEpoch best(JsonObject j) {
        int epoch = j.getInteger("epoch");
        return epoch == 0 ? BestEpoch.NONE : new BestEpoch(epoch, number(j, "accuracy"));
    }

    static TrainingProgress progress(JsonObject j) {
        return new TrainingProgress(j.getInteger("epoch"), j.getInteger("epochs"), j.getInteger("batch"),
                j.getInteger("batches"), number(j, "loss"), number(j, "accuracy"), number(j, "elapsed"),
                number(j, "eta"));
    }

    private static double number(JsonObject j, String field) {
        Number n = j.getNumber(field);
        return n == null ? Double.NaN : n.doubleValue();
    }

    static JsonObject epochEvent(EpochMetrics m) {
        return epochMetrics(m).put(TYPE, "epoch");
    }

    static JsonObject progressEvent(TrainingProgress p) {
        return new JsonObject()
                .put(TYPE, "progress")
                .put("epoch", p.epoch())
                .put("epochs", p.epochs())
                .put("batch", p.batch())
                .put("batches", p.batches())
                .put("loss", finite(p.runningLoss()))
                .put("accuracy", finite(p.runningAccuracy()))
                .put("elapsed", finite(p.elapsedSeconds()))
                .put("eta", finite(p.etaSeconds()));
    }

    /** {@code {"id", "bestEpoch", "selectedBy", "epochs": [...]}}, the best epoch's row marked {@code "best": true}. */
    static JsonObject metrics(RunRecord run, List<EpochMetrics> all) {
        JsonArray epochs = new JsonArray();
        all.forEach(m -> epochs.add(epochMetrics(m).put("best", run.bestEpoch() != null
                && m.epoch() == run.bestEpoch())));
        return new JsonObject().put("id", run.id()).put("bestEpoch", run.bestEpoch())
                .put("selectedBy", BestEpoch.selectedBy(run.config().validation() > 0)).put("epochs", epochs);
    }

    static JsonObject runs(List<RunRecord> all) {
        JsonArray runs = new JsonArray();
        all.forEach(r -> runs.add(summary(r)));
        return new JsonObject().put("runs", runs);
    }

    static JsonObject devices(List<Device> all) {
        JsonArray devices = new JsonArray();
        for (Device d : all) {
            devices.add(new JsonObject().put("backend", d.spec().toString()).put("name", d.name())
                    .put("available", d.available()).put("note", d.note()));
        }
        return new JsonObject().put("devices", devices);
    }

    /** {@code {"errors": [{"field", "message"}, ...]}}: the text of a 400 reply to a bad configuration. */
    static String fieldErrors(List<FieldError> errors) {
        return new JsonObject().put("errors", errorList(errors)).encode();
    }

    /**
     * What START would say of a configuration: its errors and, where its sizes can be read, the grid, the parameter
     * count and the memory estimate.
     */
    static JsonObject check(RunConfig config, List<FieldError> errors) {
        JsonObject reply = new JsonObject().put("errors", errorList(errors));
        if (config != null && config.cellsPerLayer() > 0 && config.depth() > 0 && config.batch() > 0
                && config.trainCount() > 0 && config.testCount() > 0) {
            reply.put("grid", config.gridText()).put("parameters", config.parameterCount())
                    .put("estimatedBytes", config.estimatedBytes());
        }
        return reply;
    }

    private static JsonArray errorList(List<FieldError> errors) {
        JsonArray list = new JsonArray();
        errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
        return list;
    }

    /** JSON has no NaN or infinity: those become null. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
