package org.neuralgrid.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Optional;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.FieldError;
import org.neuralgrid.model.InvalidConfigException;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.model.SweepSpec;
import org.neuralgrid.model.SweepSpecJson;
import org.neuralgrid.store.RunRecord;
import org.neuralgrid.store.RunStore;
import org.neuralgrid.store.SweepRecord;

/**
 * The answers to {@link RunBus}'s SWEEP_* requests. A sweep is a stored group of runs; its runs wait and train in
 * the worker verticle's queue like any run, which they reach through {@link RunQueue}. Called on the verticle's
 * context only, as every request is.
 */
final class SweepRequests {
    /** The newest epochs a sweep's time estimate learns the speed of each backend from. */
    private static final int ESTIMATE_EPOCHS = 500;

    /** What the sweeps need of the verticle's queue. */
    interface RunQueue {
        /** A new queued run: into the queue, and announced. */
        void add(RunRecord run);

        /** A stopped run queued again. */
        void requeue(String id);

        RunRecord cancel(RunRecord run);

        /** Deletes a run, stopping it first if it trains. */
        void delete(RunRecord run);

        /** Whether the run's training thread is still going (a cancelled run takes a moment to stop). */
        boolean training(String id);

        /** Starts what the devices have room for. */
        void startQueued();

        /** How many other runs share the run's device now. */
        int sharing(String id);
    }

    private final RunStore store;
    private final Supplier<List<Device>> devices;
    private final RunQueue queue;

    /** @param devices the devices backends are checked against (null: none checked, as on a cluster's dashboard) */
    SweepRequests(RunStore store, Supplier<List<Device>> devices, RunQueue queue) {
        this.store = store;
        this.devices = devices;
        this.queue = queue;
    }

    /** Validates the whole sweep (every point as a run, the backends it names here), then stores and queues it. */
    JsonObject start(JsonObject body) {
        SweepSpec spec = checked(spec(body));
        SweepRecord sweep = store.createSweep(spec);
        List<RunRecord> runs = store.sweepRuns(sweep.id());
        runs.forEach(queue::add);
        queue.startQueued();
        return new JsonObject().put("id", sweep.id()).put("runs", runs.size());
    }

    JsonObject check(JsonObject body) {
        SweepSpec spec;
        try {
            spec = spec(body);
        } catch (InvalidConfigException e) {
            return SweepMessages.check(null, e.errors(), null);
        }
        try {
            checked(spec);
            return SweepMessages.check(spec, List.of(), estimatedSeconds(spec));
        } catch (InvalidConfigException e) {
            return SweepMessages.check(spec.pointCount() <= SweepSpec.MAX_RUNS ? spec : null, e.errors(), null);
        }
    }

    JsonObject list() {
        JsonArray sweeps = new JsonArray();
        store.listSweeps().forEach(s -> sweeps.add(SweepMessages.summary(s, store.sweepRuns(s.id()))));
        return new JsonObject().put("sweeps", sweeps);
    }

    JsonObject details(JsonObject body) {
        SweepRecord sweep = existing(body);
        return SweepMessages.details(sweep, store.sweepRuns(sweep.id()), store.sweepTotals(sweep.id()),
                run -> queue.sharing(run.id()));
    }

    /** Cancels every queued and running run of the sweep. */
    JsonObject cancel(JsonObject body) {
        SweepRecord sweep = existing(body);
        store.sweepRuns(sweep.id()).stream().filter(r -> r.status().active()).forEach(queue::cancel);
        return SweepMessages.summary(sweep, store.sweepRuns(sweep.id()));
    }

    /**
     * Queues every interrupted, cancelled or failed run of the sweep again: from its checkpoint where it has one,
     * from the start (its epochs forgotten) where it has none.
     */
    JsonObject resume(JsonObject body) {
        SweepRecord sweep = existing(body);
        List<RunRecord> stopped = store.sweepRuns(sweep.id()).stream().filter(r -> r.status().resumable()).toList();
        if (stopped.stream().anyMatch(r -> queue.training(r.id()))) {
            throw new Refusal(RunBus.CONFLICT, "a run of sweep " + sweep.id() + " is still stopping; try again in a"
                    + " moment");
        }
        if (stopped.isEmpty()) {
            throw new Refusal(RunBus.CONFLICT, "sweep " + sweep.id() + " has no "
                    + RunStatus.words(RunStatus::resumable) + " run to resume");
        }
        for (RunRecord run : stopped) {
            if (!Files.exists(store.runFiles(run.id()).checkpoint())) {
                store.rewind(run.id(), 0, BestEpoch.NONE);
            }
            queue.requeue(run.id());
        }
        queue.startQueued();
        return SweepMessages.summary(sweep, store.sweepRuns(sweep.id()));
    }

    /** Deletes every run of the sweep (stopping those that train), then the sweep. */
    JsonObject delete(JsonObject body) {
        SweepRecord sweep = existing(body);
        store.sweepRuns(sweep.id()).forEach(queue::delete);
        store.deleteSweep(sweep.id());
        return new JsonObject();
    }

    /** {@code {"id", "format": "json" | "csv"}}: the whole sweep as one text. */
    String export(JsonObject body) {
        SweepRecord sweep = existing(body);
        Object format = body.getValue("format", "json");
        List<RunRecord> runs = store.sweepRuns(sweep.id());
        if ("json".equals(format)) {
            return SweepMessages.exportJson(sweep, runs, store::metrics);
        }
        if ("csv".equals(format)) {
            return SweepMessages.exportCsv(sweep, runs, store::metrics);
        }
        throw new Refusal(RunBus.BAD_REQUEST, "\"format\" must be json or csv, got " + format);
    }

    private static SweepSpec spec(JsonObject body) {
        try {
            return SweepSpecJson.fromTree(RunConfigJson.MAPPER.readTree(body.encode()));
        } catch (JsonProcessingException e) {
            throw new Refusal(RunBus.BAD_REQUEST, "the sweep is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The spec, or an {@link InvalidConfigException} naming its broken rules and any backend that is not here. */
    private SweepSpec checked(SweepSpec spec) {
        spec.validated(RunConfig.defaultMemoryBudget());
        List<FieldError> errors = new ArrayList<>();
        List<Device> here = devices.get();
        spec.points().stream().map(p -> spec.config(p).backend()).distinct().filter(b -> here != null)
                .forEach(b -> BackendCatalog.problem(b, here)
                        .ifPresent(problem -> errors.add(new FieldError("backend", problem))));
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("sweep", errors);
        }
        return spec;
    }

    /**
     * The seconds the sweep's runs would take one after another, from how fast runs have trained here (the
     * backend the sweep names, or for auto the fastest seen); null before any run has finished an epoch.
     */
    private Double estimatedSeconds(SweepSpec spec) {
        Map<String, Double> rates = store.cellSamplesPerSecond(ESTIMATE_EPOCHS);
        String backend = spec.base().backend().isAuto() ? null : spec.base().backend().kind().id();
        Optional<Double> rate = backend == null ? rates.values().stream().max(Double::compare)
                : Optional.ofNullable(rates.get(backend));
        if (rate.isEmpty()) {
            return null;
        }
        double work = 0;
        for (SweepSpec.Point p : spec.points()) {
            RunConfig c = spec.config(p);
            work += spec.seeds() * c.epochs() * RunStore.epochWork(c);
        }
        return work / rate.get();
    }

    private SweepRecord existing(JsonObject body) {
        return Refusal.unlessMissing(body, "sweep", store::findSweep);
    }
}
