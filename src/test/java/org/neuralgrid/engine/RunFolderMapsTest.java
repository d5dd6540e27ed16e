package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;

/** A run folder keeps every kind of map of every epoch, under names older runs' mean maps already have. */
class RunFolderMapsTest {

    private static RunFiles trained(Path dir, int epochs) {
        RunConfig c = ConfigBuilder.grid(12, 5).batch(32).epochs(epochs).seed(3).samples(256, 100).build();
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        RunFiles files = new RunFiles(dir, c);
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            new Trainer(c, b, data, files.heatmapWriter(), files).train(1, BestEpoch.NONE, () -> false);
        }
        return files;
    }

    @Test
    void aTrainedRunHasAFrameOfEveryKindForEveryEpochFromZero(@TempDir Path dir) throws Exception {
        RunFiles files = trained(dir, 2);
        for (int e = 0; e <= 2; e++) {
            for (MapKind kind : MapKind.values()) {
                byte[] frame = files.readHeatmap(kind, e).orElse(null);
                assertTrue(frame != null, "no " + kind.id() + " frame of epoch " + e);
                HeatmapFrame f = HeatmapFrame.decode(frame);
                assertEquals(kind, f.kind());
                assertEquals(e, f.epoch());
                assertEquals(kind.maps(), f.classes());
                assertEquals(12, f.rows());
                assertEquals(5, f.cols());
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("heatmaps/epoch-00002.ngh")), "the mean maps keep their name");
        assertTrue(Files.isRegularFile(dir.resolve("heatmaps/weights-epoch-00002.ngh")));
        for (MapKind kind : MapKind.values()) {
            assertEquals(OptionalInt.of(2), files.lastHeatmapEpoch(kind), kind.id());
        }
        assertTrue(files.readHeatmap(MapKind.STD, 3).isEmpty());
    }

    @Test
    void rewindingDeletesTheFramesOfEveryKindAfterTheEpoch(@TempDir Path dir) throws Exception {
        RunFiles files = trained(dir, 3);
        Files.writeString(dir.resolve("heatmaps/notes-epoch-00003.txt"), "not a frame");
        files.deleteHeatmapsAfter(1);
        for (MapKind kind : MapKind.values()) {
            assertTrue(files.readHeatmap(kind, 1).isPresent(), kind.id());
            assertTrue(files.readHeatmap(kind, 2).isEmpty(), kind.id());
            assertTrue(files.readHeatmap(kind, 3).isEmpty(), kind.id());
        }
        try (var left = Files.list(dir.resolve("heatmaps"))) {
            assertEquals(2 * 5 + 1, left.count(), "epochs 0 and 1 of five kinds, and the other file");
        }
    }

    @Test
    void aRunOfAnEarlierVersionHasOnlyMeanMaps(@TempDir Path dir) throws Exception {
        RunFiles files = trained(dir, 1);
        try (var frames = Files.list(dir.resolve("heatmaps"))) {
            for (Path f : frames.toList()) {
                if (!f.getFileName().toString().startsWith("epoch-")) {
                    Files.delete(f);
                }
            }
        }
        assertTrue(files.readHeatmap(MapKind.MEAN, 1).isPresent());
        for (MapKind kind : List.of(MapKind.STD, MapKind.CONTRAST, MapKind.WEIGHTS, MapKind.BIASES)) {
            assertTrue(files.readHeatmap(kind, 1).isEmpty(), kind.id());
            assertTrue(files.lastHeatmapEpoch(kind).isEmpty(), kind.id());
        }
    }
}
