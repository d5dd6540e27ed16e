package org.neuralgrid.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.data.FashionMnist;
import org.neuralgrid.data.FetchProgress;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.ImageProbe;
import org.neuralgrid.engine.ParameterSnapshots.Snapshot;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.store.RunRecord;
import org.neuralgrid.store.RunStore;

/**
 * Answers {@link RunBus#PROBE} and {@link RunBus#TEST_IMAGES}: what a run's model makes of one image, with the
 * live parameters of a training run (a snapshot its training thread takes between two steps) or the saved final
 * or best weights; and the run's test images to pick one from. Files are read and probes computed on Vert.x's
 * worker pool, never on the verticle's own thread, so a probe never holds up the queue.
 */
final class RunProbes {
    /** Test sets kept in memory: Fashion-MNIST's and a synthetic one or two. */
    private static final int CACHED_TEST_SETS = 3;
    static final int MAX_TEST_IMAGES = 100;

    private final Vertx vertx;
    private final RunStore store;
    private final Path fashionMnistDir;
    private final Map<String, Dataset> testSets = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Dataset> eldest) {
            return size() > CACHED_TEST_SETS;
        }
    };

    /** Saved weights read lately, by file and its modification time: a run's page probes the same ones often. */
    private final Map<String, Weights> savedWeights = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Weights> eldest) {
            return size() > CACHED_WEIGHTS;
        }
    };
    private static final int CACHED_WEIGHTS = 4;

    RunProbes(Vertx vertx, RunStore store, Path fashionMnistDir) {
        this.vertx = vertx;
        this.store = store;
        this.fashionMnistDir = fashionMnistDir;
    }

    /**
     * {@code {"id", "pixels": [784 numbers in 0..1] | "testIndex": n, "class"?: 0..9, "which"?: "live" | "final" |
     * "best"}}; {@code live} asks whoever trains the run for its parameters between two steps (a training job
     * here, or the worker node that trains it), or is null when the run does not train.
     */
    Future<JsonObject> probe(RunRecord run, JsonObject body, Supplier<CompletionStage<Snapshot>> live) {
        int cls = saliencyClass(body);
        String which = which(body, run, live != null);
        Future<Image> image = image(run, body);
        Future<Weights> weights = "live".equals(which) ? live(run.id(), live) : saved(run, which);
        return Future.all(image, weights).compose(both -> vertx.executeBlocking(() -> {
            Image i = image.result();
            Weights w = weights.result();
            ImageProbe probe = ImageProbe.of(run.config(), w.parameters(), i.pixels(), cls);
            return reply(probe, w, i);
        }, false));
    }

    /** {@code {"id", "class"?: 0..9, "from"?: 0.., "count"?: 1..100}} → {@code {"total", "samples": [...]}}. */
    Future<JsonObject> testImages(RunRecord run, JsonObject body) {
        Integer cls = optionalClass(body.getValue("class"));
        int from = wholeNumber(body, "from", 0, 0, Integer.MAX_VALUE);
        int count = wholeNumber(body, "count", 20, 1, MAX_TEST_IMAGES);
        return testSet(run.config()).map(ds -> {
            int[] indices = indicesOf(ds, cls);
            JsonArray samples = new JsonArray();
            for (int k = from; k < Math.min(indices.length, (long) from + count); k++) {
                samples.add(sample(ds, indices[k]));
            }
            return new JsonObject().put("total", indices.length).put("samples", samples);
        });
    }

    private record Image(float[] pixels, Integer testIndex, Integer label) {
    }

    private record Weights(String which, int epoch, int batch, Parameters parameters) {
    }

    private Future<Image> image(RunRecord run, JsonObject body) {
        Object pixels = body.getValue("pixels");
        Object index = body.getValue("testIndex");
        if ((pixels == null) == (index == null)) {
            throw new Refusal(RunBus.BAD_REQUEST, "give the image as \"pixels\" (784 numbers in 0..1, row by row)"
                    + " or as \"testIndex\" (an image of the run's test set)");
        }
        if (pixels != null) {
            return Future.succeededFuture(new Image(pixels(pixels), null, null));
        }
        if (!(index instanceof Integer || index instanceof Long)) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"testIndex\" must be a whole number, got " + index);
        }
        long at = ((Number) index).longValue();
        return testSet(run.config()).map(ds -> {
            if (at < 0 || at >= ds.count()) {
                throw new Refusal(RunBus.BAD_REQUEST, "\"testIndex\" " + at + " is outside the run's "
                        + ds.count() + " test images");
            }
            int i = (int) at;
            float[] px = new float[RunConfig.IMAGE_SIZE];
            for (int m = 0; m < px.length; m++) {
                px[m] = (ds.pixels()[i * px.length + m] & 0xff) / 255f;
            }
            return new Image(px, i, ds.label(i));
        });
    }

    static float[] pixels(Object value) {
        if (!(value instanceof JsonArray array) || array.size() != RunConfig.IMAGE_SIZE) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"pixels\" must be " + RunConfig.IMAGE_SIZE + " numbers (28x28,"
                    + " row by row), got " + (value instanceof JsonArray a ? a.size() + " values" : value));
        }
        float[] px = new float[RunConfig.IMAGE_SIZE];
        for (int m = 0; m < px.length; m++) {
            Object v = array.getValue(m);
            if (!(v instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
                throw new Refusal(RunBus.BAD_REQUEST, "pixel " + m + " must be a number from 0 to 1, got " + v);
            }
            px[m] = n.floatValue();
        }
        return px;
    }

    private static int saliencyClass(JsonObject body) {
        Integer cls = optionalClass(body.getValue("class"));
        return cls == null ? -1 : cls;
    }

    private static Integer optionalClass(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
                || ((Number) value).longValue() >= RunConfig.CLASSES) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"class\" must be a class number from 0 to "
                    + (RunConfig.CLASSES - 1) + ", got " + value);
        }
        return ((Number) value).intValue();
    }

    private static int wholeNumber(JsonObject body, String key, int absent, int min, int max) {
        Object v = body.getValue(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
                || ((Number) v).longValue() > max) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"" + key + "\" must be a whole number from " + min + " to "
                    + max + ", got " + v);
        }
        return ((Number) v).intValue();
    }

    /** live while the run trains, else the final weights, else the best; or what the body asks for. */
    private String which(JsonObject body, RunRecord run, boolean trains) {
        Object asked = body.getValue("which");
        if (asked == null) {
            if (trains) {
                return "live";
            }
            return Files.isRegularFile(store.runFiles(run.id()).weights(RunFiles.Weights.FINAL)) ? "final" : "best";
        }
        if (!(asked instanceof String text) || !text.matches("live|final|best")) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"which\" must be live, final or best, got " + asked);
        }
        if (text.equals("live") && !trains) {
            throw new Refusal(RunBus.CONFLICT, "run " + run.id() + " is " + run.status().id() + ", not training:"
                    + " probe its final or best weights");
        }
        return text;
    }

    private Future<Weights> live(String id, Supplier<CompletionStage<Snapshot>> live) {
        return Future.fromCompletionStage(live.get(), vertx.getOrCreateContext())
                .map(s -> new Weights("live", s.epoch(), s.batch(), s.parameters()))
                .recover(e -> Future.failedFuture(new Refusal(RunBus.CONFLICT, "run " + id
                        + " stopped training before its parameters could be read; probe its saved weights")));
    }

    private Future<Weights> saved(RunRecord run, String which) {
        RunFiles.Weights w = RunFiles.Weights.parse(which);
        Path file = store.runFiles(run.id()).weights(w);
        return vertx.executeBlocking(() -> {
            if (!Files.isRegularFile(file)) {
                throw new Refusal(RunBus.CONFLICT, "run " + run.id() + " has no " + which + " weights yet");
            }
            try {
                String key = file + "@" + Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
                synchronized (savedWeights) {
                    Weights known = savedWeights.get(key);
                    if (known != null) {
                        return known;
                    }
                }
                Parameters p = RunFiles.readWeights(file, ModelLayout.zeros(run.config()));
                Weights read = new Weights(which, RunFiles.epochOf(file), 0, p);
                synchronized (savedWeights) {
                    savedWeights.put(key, read);
                }
                return read;
            } catch (IOException | RuntimeException e) {
                throw new Refusal(RunBus.FAILED, "the " + which + " weights of run " + run.id() + " cannot be read ("
                        + e.getMessage() + ")");
            }
        }, false);
    }

    /** The run's test set, loaded once (on the worker pool) and kept. */
    private Future<Dataset> testSet(RunConfig config) {
        String key = config.dataset() == DatasetKind.FASHION_MNIST ? "fashion-mnist"
                : "synthetic/" + config.samples() + "/" + config.testSamples() + "/" + config.seed();
        synchronized (testSets) {
            Dataset cached = testSets.get(key);
            if (cached != null) {
                return Future.succeededFuture(cached);
            }
        }
        return vertx.executeBlocking(() -> {
            if (config.dataset() == DatasetKind.FASHION_MNIST && !FashionMnist.isPresent(fashionMnistDir)) {
                throw new Refusal(RunBus.CONFLICT, "Fashion-MNIST is not in the data folder yet (a run fetches it"
                        + " when it starts)");
            }
            Dataset test;
            try {
                test = TrainingData.load(config, fashionMnistDir, FetchProgress.SILENT).test();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (testSets) {
                testSets.put(key, test);
            }
            return test;
        }, false);
    }

    private static int[] indicesOf(Dataset ds, Integer cls) {
        return java.util.stream.IntStream.range(0, ds.count()).filter(i -> cls == null || ds.label(i) == cls)
                .toArray();
    }

    private static JsonObject sample(Dataset ds, int i) {
        JsonArray px = new JsonArray();
        for (int m = 0; m < ds.imageSize(); m++) {
            px.add(ds.pixels()[i * ds.imageSize() + m] & 0xff);
        }
        return new JsonObject().put("index", i).put("label", ds.label(i)).put("pixels", px);
    }

    private static JsonObject reply(ImageProbe probe, Weights w, Image image) {
        ActivationMaps a = probe.activations();
        return new JsonObject()
                .put("which", w.which()).put("epoch", w.epoch()).put("batch", w.batch())
                .put("testIndex", image.testIndex()).put("label", image.label())
                .put("predicted", probe.predicted()).put("class", probe.saliencyClass())
                .put("probabilities", doubles(probe.probabilities()))
                .put("logits", doubles(probe.logits()))
                .put("pixels", floats(probe.pixels()))
                .put("grid", new JsonObject().put("sheets", a.sheets()).put("layers", a.layers())
                        .put("rows", a.rows()).put("cols", a.cols()))
                .put("activations", floats(a.values()))
                .put("cellSaliency", floats(probe.cellSaliency().values()))
                .put("pixelSaliency", floats(probe.pixelSaliency()));
    }

    private static JsonArray doubles(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray floats(float[] values) {
        JsonArray a = new JsonArray();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }
}
