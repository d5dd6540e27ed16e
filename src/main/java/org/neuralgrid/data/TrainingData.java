package org.neuralgrid.data;

import java.io.IOException;
import java.nio.file.Path;
import org.neuralgrid.model.RunConfig;

/** The data a run configuration asks for. */
public final class TrainingData {
    private TrainingData() {
    }

    /**
     * The synthetic set of the configured sizes and seed, or Fashion-MNIST from {@code dataDir}, fetched there first
     * if it is not complete; with the configured validation images held out of the training set.
     */
    public static DataSplit load(RunConfig config, Path dataDir, FetchProgress progress) throws IOException {
        return images(config, dataDir, progress).holdOut(config.validation(), config.seed());
    }

    private static DataSplit images(RunConfig config, Path dataDir, FetchProgress progress) throws IOException {
        switch (config.dataset()) {
            case SYNTHETIC:
                progress.report("generating " + config.samples() + " + " + config.testSamples()
                        + " synthetic images (seed " + config.seed() + ")", Double.NaN);
                return SyntheticData.generate(config.samples(), config.testSamples(), config.seed());
            case FASHION_MNIST:
                progress.report("reading Fashion-MNIST from " + dataDir, Double.NaN);
                return FashionMnist.loadOrFetch(dataDir, FashionMnist.OFFICIAL_URL, progress);
            default:
                throw new IllegalArgumentException("unknown dataset " + config.dataset());
        }
    }
}
