package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.FetchProgress;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;

/**
 * metrics.csv: every number read back as written (a run without a validation set leaves those cells empty), the
 * best column marks exactly the best epoch, and the run folder's file listener keeps the rows before a resumed
 * epoch and replaces the rest.
 */
class MetricsCsvTest {
    @TempDir
    Path dir;

    static EpochMetrics epoch(int e, double validationAccuracy) {
        return new EpochMetrics(e, 2.0 / e + 0.1, 0.1 + 0.2 * e / 3, 1.0 / 3 + e, validationAccuracy,
                Math.PI / e, 1e-7 * e, 1e-4 / 3, 12.345678901234567 * e, 1.5e6 / 7);
    }

    static List<String> rows(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        return lines.subList(1, lines.size());
    }

    /** The epochs whose best column is 1. */
    static List<Integer> marked(Path file) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (String row : rows(file)) {
            String[] c = row.split(",", -1);
            assertTrue(c[c.length - 1].equals("0") || c[c.length - 1].equals("1"), row);
            if (c[c.length - 1].equals("1")) {
                out.add(Integer.parseInt(c[0]));
            }
        }
        return out;
    }

    static List<Integer> epochNumbers(List<EpochMetrics> epochs) {
        return epochs.stream().map(EpochMetrics::epoch).toList();
    }

    @Test
    void everyNumberIsReadBackExactly() throws Exception {
        List<EpochMetrics> epochs = List.of(epoch(1, 0.5), epoch(2, 0.625), epoch(3, 0.1 + 0.2));
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, MetricsCsv.write(epochs, 2));
        assertEquals(epochs, MetricsCsv.read(file));
    }

    @Test
    void withoutAValidationSetTheValidationCellsAreEmptyAndReadBackAsNaN() throws Exception {
        List<EpochMetrics> epochs = List.of(
                EpochMetrics.withoutValidation(1, 2.3, 0.1, 2.2, 0.15, 1e-3, 1.0, 1000),
                EpochMetrics.withoutValidation(2, 1.3, 0.5, 1.2, 0.55, 1e-3, 1.0, 1000));
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, MetricsCsv.write(epochs, 2));
        for (String row : rows(file)) {
            String[] c = row.split(",", -1);
            assertEquals(11, c.length, row);
            assertEquals("", c[3], "validation loss: " + row);
            assertEquals("", c[4], "validation accuracy: " + row);
            assertTrue(!row.contains("NaN"), row);
        }
        List<EpochMetrics> read = MetricsCsv.read(file);
        assertEquals(epochs, read);
        assertTrue(Double.isNaN(read.get(0).validationLoss()) && Double.isNaN(read.get(1).validationAccuracy()));
    }

    @Test
    void theBestColumnMarksExactlyTheBestEpoch() throws Exception {
        List<EpochMetrics> epochs = List.of(epoch(1, 0.5), epoch(2, 0.7), epoch(3, 0.6), epoch(4, 0.65));
        Path file = dir.resolve("metrics.csv");
        for (int best = 1; best <= 4; best++) {
            Files.writeString(file, MetricsCsv.write(epochs, best));
            assertEquals(List.of(best), marked(file), "best epoch " + best);
        }
        Files.writeString(file, MetricsCsv.write(epochs, 0));
        assertEquals(List.of(), marked(file), "no best epoch, no mark");
        assertTrue(MetricsCsv.row(epochs.get(1), true).endsWith(",1"));
        assertTrue(MetricsCsv.row(epochs.get(1), false).endsWith(",0"));
    }

    @Test
    void aFileOfOtherColumnsOrNoneReadsAsNoEpochs() throws Exception {
        Path file = dir.resolve("metrics.csv");
        assertEquals(List.of(), MetricsCsv.read(file));
        Files.writeString(file, "epoch,train_loss,test_loss\n1,2.0,2.1\n");
        assertEquals(List.of(), MetricsCsv.read(file));
    }

    @Test
    void theFileListenerRewritesTheFileAndMovesTheBestMark() throws Exception {
        Path file = dir.resolve("metrics.csv");
        TrainingListener listener = MetricsCsv.file(file, 1);
        listener.onEpoch(epoch(1, 0.5), new BestEpoch(1, 0.5));
        assertEquals(List.of(1), marked(file));
        listener.onEpoch(epoch(2, 0.7), new BestEpoch(2, 0.7));
        listener.onEpoch(epoch(3, 0.6), new BestEpoch(2, 0.7));
        assertEquals(List.of(1, 2, 3), epochNumbers(MetricsCsv.read(file)));
        assertEquals(List.of(2), marked(file));
    }

    @Test
    void aResumedRunKeepsTheRowsBeforeItsFirstEpochAndReplacesTheLaterOnes() throws Exception {
        Path file = dir.resolve("metrics.csv");
        TrainingListener first = MetricsCsv.file(file, 1);
        for (int e = 1; e <= 5; e++) {
            first.onEpoch(epoch(e, 0.5 + 0.01 * e), new BestEpoch(e, 0.5 + 0.01 * e));
        }
        List<EpochMetrics> before = MetricsCsv.read(file);
        assertEquals(List.of(1, 2, 3, 4, 5), epochNumbers(before));

        // stopped during epoch 6, resumed from the checkpoint after epoch 3; epoch 4 trains again, other numbers
        TrainingListener resumed = MetricsCsv.file(file, 4);
        EpochMetrics again = new EpochMetrics(4, 9.5, 0.9, 9.5, 0.2, 9.5, 0.2, 1e-3, 1, 1);
        resumed.onEpoch(again, new BestEpoch(3, 0.53));
        List<EpochMetrics> after = MetricsCsv.read(file);
        assertEquals(List.of(1, 2, 3, 4), epochNumbers(after), "epoch 5 of the stopped run is gone");
        assertEquals(before.subList(0, 3), after.subList(0, 3), "epochs 1-3 kept as they were");
        assertEquals(again, after.get(3), "epoch 4 is the resumed run's");
        assertEquals(List.of(3), marked(file), "the best may be a kept epoch");
        resumed.onEpoch(epoch(5, 0.9), new BestEpoch(5, 0.9));
        assertEquals(List.of(1, 2, 3, 4, 5), epochNumbers(MetricsCsv.read(file)));
        assertEquals(List.of(5), marked(file));
    }

    @Test
    void aResumedRunWithoutAFileStartsOne() throws Exception {
        Path file = dir.resolve("metrics.csv");
        TrainingListener resumed = MetricsCsv.file(file, 4);
        resumed.onEpoch(epoch(4, 0.5), new BestEpoch(2, 0.6));
        assertEquals(List.of(4), epochNumbers(MetricsCsv.read(file)));
        assertEquals(List.of(), marked(file), "the best epoch 2 has no row here");
    }

    @Test
    void aTrainingRunsFileHoldsItsEpochsAndMarksItsBest() throws Exception {
        RunConfig c = ConfigBuilder.grid(8, 2).batch(32).epochs(4).samples(600, 100).set("validation", 100).build();
        DataSplit data = TrainingData.load(c, dir, FetchProgress.SILENT);
        Path file = dir.resolve("metrics.csv");
        List<EpochMetrics> seen = new ArrayList<>();
        Trainer.Result result;
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            TrainingListener recorder = new TrainingListener() {
                @Override
                public void onEpoch(EpochMetrics m, BestEpoch best) {
                    seen.add(m);
                }
            };
            result = new Trainer(c, b, data, new TrainingListeners(recorder, MetricsCsv.file(file, 1)),
                    Trainer.Checkpoints.NONE).train(1, BestEpoch.NONE, () -> false);
        }
        assertEquals(seen, MetricsCsv.read(file));
        assertEquals(List.of(result.best().epoch()), marked(file));
        assertTrue(seen.stream().allMatch(m -> Double.isFinite(m.validationAccuracy())), "validation columns");
    }
}
