package org.neuralgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.RunConfig;

class TrainingDataTest {
    @TempDir
    Path dir;

    @Test
    void syntheticConfigGivesTheSeededSyntheticSetOfTheConfiguredSizes() throws IOException {
        RunConfig config = with(DatasetKind.SYNTHETIC, 300, 50, 11);
        DataSplit data = TrainingData.load(config, dir, FetchProgress.SILENT);
        DataSplit expected = SyntheticData.generate(300, 50, 11);
        assertEquals(300, data.train().count());
        assertEquals(50, data.test().count());
        assertArrayEquals(expected.train().pixels(), data.train().pixels());
    }

    @Test
    void fashionMnistConfigReadsTheFilesInTheDataFolder() throws IOException {
        Dataset train = TestSets.predictable("fashion-mnist/train", 6, 28, 28, 3);
        Dataset test = TestSets.predictable("fashion-mnist/test", 4, 28, 28, 4);
        FashionMnist.write(dir, new DataSplit(train, test));
        DataSplit data = TrainingData.load(with(DatasetKind.FASHION_MNIST, 1, 1, 1), dir, FetchProgress.SILENT);
        assertArrayEquals(train.pixels(), data.train().pixels());
        assertArrayEquals(test.labels(), data.test().labels());
    }

    private static RunConfig with(DatasetKind dataset, int samples, int testSamples, long seed) {
        return RunConfig.defaults().with(Map.of("seed", seed, "dataset", dataset, "samples", samples, "testSamples", testSamples));
    }
}
