package org.neuralgrid.worker;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.FashionMnist;
import org.neuralgrid.data.FetchProgress;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.RunConfig;

/**
 * Where the training threads get their images: the synthetic set is generated, Fashion-MNIST is read from the
 * data folder and, on first use, copied there from a nearer source where there is one (a worker node asks its
 * dashboard node) or else fetched, one fetch at a time. While a fetch runs, its progress goes to
 * {@code progress} (the worker publishes it as {@link RunBus#DATASET_PROGRESS}) and {@link #fashionMnistState}
 * says so.
 */
final class TrainingDataSource {
    /** Somewhere Fashion-MNIST may be copied from into a folder before it is fetched from the internet. */
    interface NearerSource {
        NearerSource NONE = dir -> false;

        /** Copies the four files into {@code dir}; false (or an exception) when this source has none. */
        boolean copyInto(Path dir) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(TrainingDataSource.class.getName());
    private final Path fashionMnistDir;
    private final Consumer<JsonObject> progress;
    private final NearerSource nearer;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile boolean fetching;
    private volatile String message;
    private volatile double fraction = Double.NaN;

    TrainingDataSource(Path fashionMnistDir, Consumer<JsonObject> progress) {
        this(fashionMnistDir, progress, NearerSource.NONE);
    }

    TrainingDataSource(Path fashionMnistDir, Consumer<JsonObject> progress, NearerSource nearer) {
        this.fashionMnistDir = fashionMnistDir;
        this.progress = progress;
        this.nearer = nearer;
    }

    /** The data a run asks for; blocks, and may fetch Fashion-MNIST first. Call from a training thread. */
    DataSplit load(RunConfig config) throws IOException {
        if (config.dataset() != DatasetKind.FASHION_MNIST || FashionMnist.isPresent(fashionMnistDir)) {
            return TrainingData.load(config, fashionMnistDir, FetchProgress.SILENT);
        }
        fetchLock.lock();
        try {
            if (FashionMnist.isPresent(fashionMnistDir)) {
                return TrainingData.load(config, fashionMnistDir, FetchProgress.SILENT);
            }
            fetching = true;
            if (copiedFromNearer()) {
                return TrainingData.load(config, fashionMnistDir, FetchProgress.SILENT);
            }
            report("fetching Fashion-MNIST into " + fashionMnistDir, Double.NaN);
            DataSplit data = TrainingData.load(config, fashionMnistDir, this::report);
            message = "Fashion-MNIST is in " + fashionMnistDir;
            fraction = 1;
            return data;
        } catch (IOException | RuntimeException e) {
            message = "fetching Fashion-MNIST failed: " + e.getMessage();
            fraction = Double.NaN;
            throw e;
        } finally {
            fetching = false;
            fetchLock.unlock();
        }
    }

    private boolean copiedFromNearer() {
        try {
            if (nearer.copyInto(fashionMnistDir) && FashionMnist.isPresent(fashionMnistDir)) {
                message = "Fashion-MNIST is in " + fashionMnistDir + " (copied from the dashboard node)";
                return true;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "could not copy Fashion-MNIST from the dashboard node ("
                    + e.getMessage() + "); fetching it");
        }
        return false;
    }

    /** {@code {"present", "fetching", "message", "fraction"}} as {@link RunBus#DATASETS} answers. */
    JsonObject fashionMnistState() {
        return new JsonObject()
                .put("present", FashionMnist.isPresent(fashionMnistDir))
                .put("fetching", fetching)
                .put("message", message)
                .put("fraction", RunMessages.finite(fraction));
    }

    private void report(String text, double done) {
        message = text;
        fraction = done;
        progress.accept(new JsonObject().put("message", text).put("fraction", RunMessages.finite(done)));
    }
}
