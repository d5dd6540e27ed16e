package org.neuralgrid.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.io.SafeTensors;
import org.neuralgrid.io.SafeTensorsFile;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.model.Tensor;

/**
 * A run's folder, the same for a command-line run and a dashboard run ({@code DATA/runs/{id}}):
 * <ul>
 * <li>{@code config.json}: the full run configuration;</li>
 * <li>{@code weights.safetensors}: the parameters after the last finished epoch (the final weights);</li>
 * <li>{@code best.safetensors}: the parameters of the best epoch (see {@link BestEpoch}), with its epoch and
 *     accuracy in the metadata;</li>
 * <li>{@code checkpoint.safetensors}: the weights plus Adam's moments and the best epoch as of then, to resume;
 *     {@code checkpoint-best.safetensors} the best weights as of the checkpoint, so that a resumed run's best is
 *     the straight run's;</li>
 * <li>{@code heatmaps/epoch-00042.ngh}: every epoch's mean activation maps as a {@link HeatmapFrame}, and beside
 *     them {@code heatmaps/KIND-epoch-00042.ngh} for the other {@link MapKind}s (std, contrast, weights,
 *     biases; runs of earlier versions have only the mean maps).</li>
 * </ul>
 * Every file is written under a temporary name and renamed, so a crash never leaves half a file.
 */
public final class RunFiles implements Trainer.Checkpoints {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String BEST = "best.safetensors";
    public static final String CHECKPOINT = "checkpoint.safetensors";
    public static final String CHECKPOINT_BEST = "checkpoint-best.safetensors";
    public static final String HEATMAPS = "heatmaps";
    /** A frame's file name: {@code epoch-00042.ngh} (mean) or {@code KIND-epoch-00042.ngh}. */
    private static final Pattern FRAME_NAME = Pattern.compile(
            "(?:([a-z]+)-)?epoch-(\\d{5,9})\\.ngh");
    private static final String FIRST_MOMENT = "adam.m.";
    private static final String SECOND_MOMENT = "adam.v.";

    private final Path dir;
    private final RunConfig config;

    public RunFiles(Path dir, RunConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** A folder to read weights and heatmaps from and write heatmaps to (not weights: they need the config). */
    public static RunFiles at(Path dir) {
        return new RunFiles(dir, null);
    }

    /** Which weights of a run: those after its last epoch, or those of its best epoch. */
    public enum Weights {
        FINAL(WEIGHTS), BEST(RunFiles.BEST);

        private final String file;

        Weights(String file) {
            this.file = file;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "final" or "best" (any case). */
        public static Weights parse(String text) {
            for (Weights w : values()) {
                if (w.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return w;
                }
            }
            throw new IllegalArgumentException("must be final or best, got '" + text + "'");
        }
    }

    public Path dir() {
        return dir;
    }

    public Path weights() {
        return dir.resolve(WEIGHTS);
    }

    public Path weights(Weights which) {
        return dir.resolve(which.file);
    }

    public Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    /** Deletes a run folder and everything in it; nothing when it is not there. */
    public static void deleteFolder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public void writeConfig() throws IOException {
        Files.createDirectories(dir);
        atomically(dir.resolve(CONFIG), tmp -> Files.writeString(tmp, RunConfigJson.write(config)));
    }

    public static RunConfig readConfig(Path dir) throws IOException {
        return RunConfigJson.read(Files.readString(dir.resolve(CONFIG)));
    }

    @Override
    public void saveBest(BestEpoch best, Backend backend) {
        try {
            Files.createDirectories(dir);
            Map<String, String> meta = metadata(best.epoch());
            meta.putAll(bestMetadata(best));
            SafeTensors.write(dir.resolve(BEST), backend.parameters().tensors(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the best weights of epoch " + best.epoch() + " to "
                    + dir, e);
        }
    }

    /** Writes the checkpoint (parameters, optimizer state, the best epoch as of now) and the final weights. */
    @Override
    public void save(int epoch, Backend backend, BestEpoch best, boolean last) {
        Parameters p = writeCheckpoint(Trainer.Start.at(epoch + 1, best), backend);
        try {
            SafeTensors.write(weights(), p.tensors(), metadata(epoch));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the weights of epoch " + epoch + " to " + dir, e);
        }
    }

    /** A checkpoint within an epoch (a server stopping): resuming continues at that batch. */
    @Override
    public void saveWithin(Trainer.Start start, Backend backend) {
        writeCheckpoint(start, backend);
    }

    /** The checkpoint of the state where {@code start} continues; returns the parameters written. */
    private Parameters writeCheckpoint(Trainer.Start start, Backend backend) {
        int epoch = start.epoch() - 1;
        BestEpoch best = start.best();
        try {
            Parameters p = backend.parameters();
            OptimizerState adam = backend.optimizerState();
            List<Tensor> all = new ArrayList<>(p.tensors());
            for (Tensor t : adam.firstMoment().tensors()) {
                all.add(new Tensor(FIRST_MOMENT + t.name(), t.shape(), t.data()));
            }
            for (Tensor t : adam.secondMoment().tensors()) {
                all.add(new Tensor(SECOND_MOMENT + t.name(), t.shape(), t.data()));
            }
            Map<String, String> meta = metadata(epoch);
            meta.put("adam_step", Long.toString(adam.step()));
            meta.putAll(bestMetadata(best));
            if (start.batch() > 0) {
                meta.put("batches_done", Integer.toString(start.batch()));
                meta.put("partial_loss_sum", Double.toString(start.partial().lossSum()));
                meta.put("partial_correct", Long.toString(start.partial().correct()));
                meta.put("partial_samples", Long.toString(start.partial().samples()));
                meta.put("partial_seconds", Double.toString(start.seconds()));
            }
            Files.createDirectories(dir);
            if (!best.isNone() && Files.exists(dir.resolve(BEST))) {
                atomically(dir.resolve(CHECKPOINT_BEST), tmp -> Files.copy(dir.resolve(BEST), tmp,
                        StandardCopyOption.REPLACE_EXISTING));
            }
            SafeTensors.write(checkpoint(), all, meta);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint of epoch " + epoch + " to " + dir, e);
        }
    }

    private Map<String, String> metadata(int epoch) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "neuralgrid-" + config.gridType().id());
        meta.put("epoch", Integer.toString(epoch));
        meta.put("config", RunConfigJson.write(config).replaceAll("\\s+", ""));
        return meta;
    }

    /** The best epoch as metadata: its epoch, accuracy and what chose it. */
    private Map<String, String> bestMetadata(BestEpoch best) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("best_epoch", Integer.toString(best.epoch()));
        meta.put("best_accuracy", best.isNone() ? "" : Double.toString(best.accuracy()));
        meta.put("selected_by", BestEpoch.selectedBy(config.validation() > 0));
        return meta;
    }

    /**
     * A checkpoint read back: the epochs finished, the parameters, Adam's state, and where training goes on (the
     * next epoch's start, or a batch within it when a server stopped mid-epoch, with the sums so far and the best
     * epoch as of then).
     */
    public record Checkpoint(int epoch, Parameters parameters, OptimizerState optimizer, Trainer.Start start) {
        public BestEpoch best() {
            return start.best();
        }
    }

    /** Reads the checkpoint, checking that every tensor has the shape this run's configuration gives. */
    public Checkpoint readCheckpoint(Parameters layout) throws IOException {
        SafeTensorsFile f = SafeTensors.read(checkpoint());
        List<Tensor> params = new ArrayList<>(), m = new ArrayList<>(), v = new ArrayList<>();
        for (Tensor t : layout.tensors()) {
            params.add(tensor(f, t.name(), t.name()));
            m.add(tensor(f, FIRST_MOMENT + t.name(), t.name()));
            v.add(tensor(f, SECOND_MOMENT + t.name(), t.name()));
        }
        Parameters p = checkedLayout(checkpoint(), layout, new Parameters(params));
        checkedLayout(checkpoint(), layout, new Parameters(m));
        checkedLayout(checkpoint(), layout, new Parameters(v));
        Map<String, String> meta = f.metadata();
        int epoch = Integer.parseInt(meta.getOrDefault("epoch", "0"));
        long step = Long.parseLong(meta.getOrDefault("adam_step", "0"));
        return new Checkpoint(epoch, p, new OptimizerState(step, new Parameters(m), new Parameters(v)),
                start(meta, epoch));
    }

    /** Where training goes on after a checkpoint with this metadata of {@code epoch} finished epochs. */
    private static Trainer.Start start(Map<String, String> meta, int epoch) {
        int bestEpoch = Integer.parseInt(meta.getOrDefault("best_epoch", "0"));
        BestEpoch best = bestEpoch == 0 ? BestEpoch.NONE
                : new BestEpoch(bestEpoch, Double.parseDouble(meta.get("best_accuracy")));
        int batch = Integer.parseInt(meta.getOrDefault("batches_done", "0"));
        if (batch == 0) {
            return Trainer.Start.at(epoch + 1, best);
        }
        TrainMetrics partial = new TrainMetrics(Double.parseDouble(meta.get("partial_loss_sum")),
                Long.parseLong(meta.get("partial_correct")), Long.parseLong(meta.get("partial_samples")));
        return new Trainer.Start(epoch + 1, batch, partial, Double.parseDouble(meta.get("partial_seconds")), best);
    }

    /** The epochs finished and the best epoch of the checkpoint, read from its metadata alone. */
    public Optional<Trainer.Start> checkpointStart() throws IOException {
        if (!Files.exists(checkpoint())) {
            return Optional.empty();
        }
        Map<String, String> meta = SafeTensors.read(checkpoint()).metadata();
        return Optional.of(start(meta, Integer.parseInt(meta.getOrDefault("epoch", "0"))));
    }

    /**
     * Puts back the best weights as they were at a checkpoint, for a run that continues from it: epochs after the
     * checkpoint are trained again, and a best epoch among them must not stand in the way of the resumed run's.
     */
    public void restoreBest(Checkpoint checkpoint) throws IOException {
        Path best = dir.resolve(BEST);
        Path saved = dir.resolve(CHECKPOINT_BEST);
        if (checkpoint.best().isNone()) {
            Files.deleteIfExists(best);
        } else if (Files.exists(saved)) {
            atomically(best, tmp -> Files.copy(saved, tmp, StandardCopyOption.REPLACE_EXISTING));
        }
    }

    /** Reads weights written by {@link #save} or {@link #saveBest}, checked against the layout. */
    public static Parameters readWeights(Path file, Parameters layout) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file);
        List<Tensor> params = new ArrayList<>();
        for (Tensor t : layout.tensors()) {
            params.add(tensor(f, t.name(), t.name()));
        }
        return checkedLayout(file, layout, new Parameters(params));
    }

    /** The epoch a weights file was written after (its metadata), or 0. */
    public static int epochOf(Path file) throws IOException {
        return Integer.parseInt(SafeTensors.read(file).metadata().getOrDefault("epoch", "0"));
    }

    // ---- heatmap frames

    /** The file of an epoch's mean maps. */
    public Path heatmap(int epoch) {
        return heatmap(MapKind.MEAN, epoch);
    }

    /**
     * The file of an epoch's frame of a kind: {@code heatmaps/epoch-00042.ngh} for the mean maps (the name every
     * version wrote, so older runs read as they are), {@code heatmaps/std-epoch-00042.ngh} and so on for the others.
     */
    public Path heatmap(MapKind kind, int epoch) {
        String prefix = kind == MapKind.MEAN ? "" : kind.id() + "-";
        return dir.resolve(HEATMAPS).resolve(String.format(Locale.ROOT, "%sepoch-%05d.ngh", prefix, epoch));
    }

    public void writeHeatmap(HeatmapFrame frame) throws IOException {
        Files.createDirectories(dir.resolve(HEATMAPS));
        atomically(heatmap(frame.kind(), frame.epoch()), tmp -> Files.write(tmp, frame.encode()));
    }

    /** The encoded mean frame of an epoch, if there is one. */
    public Optional<byte[]> readHeatmap(int epoch) throws IOException {
        return readHeatmap(MapKind.MEAN, epoch);
    }

    /** The encoded frame of an epoch's maps of a kind, if there is one (runs of earlier versions have only mean). */
    public Optional<byte[]> readHeatmap(MapKind kind, int epoch) throws IOException {
        if (epoch < 0 || epoch > RunConfig.MAX_EPOCHS) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(heatmap(kind, epoch)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The newest epoch with a frame of the kind, if any. */
    public OptionalInt lastHeatmapEpoch(MapKind kind) throws IOException {
        return heatmapFiles().stream().filter(f -> f.kind() == kind).mapToInt(HeatmapFile::epoch).max();
    }

    /** Writes every epoch's maps into the folder as they come (the command line's runs; the store does its own). */
    public TrainingListener heatmapWriter() {
        return new TrainingListener() {
            @Override
            public void onActivationMaps(ActivationMaps maps) {
                try {
                    writeHeatmap(maps.frame());
                } catch (IOException e) {
                    throw new UncheckedIOException("could not write the " + maps.kind().id() + " maps of epoch "
                            + maps.epoch(), e);
                }
            }
        };
    }

    /** Deletes the frames of every kind of the epochs after {@code epoch} (a run resumed from that checkpoint). */
    public void deleteHeatmapsAfter(int epoch) throws IOException {
        for (HeatmapFile f : heatmapFiles()) {
            if (f.epoch() > epoch) {
                Files.deleteIfExists(f.path());
            }
        }
    }

    /** A frame file of the heatmaps folder, with the kind and epoch its name says. */
    private record HeatmapFile(Path path, MapKind kind, int epoch) {
    }

    /** The frame files of the heatmaps folder (none when there is no folder); other files are left out. */
    private List<HeatmapFile> heatmapFiles() throws IOException {
        Path folder = dir.resolve(HEATMAPS);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<HeatmapFile> frames = new ArrayList<>();
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Matcher m = FRAME_NAME.matcher(f.getFileName().toString());
                MapKind kind = m.matches() ? kindNamed(m.group(1)) : null;
                if (kind != null) {
                    frames.add(new HeatmapFile(f, kind, Integer.parseInt(m.group(2))));
                }
            }
        }
        return frames;
    }

    /** The kind a frame file's name starts with (none: mean), or null for a name no kind writes. */
    private static MapKind kindNamed(String prefix) {
        if (prefix == null) {
            return MapKind.MEAN;
        }
        for (MapKind k : MapKind.values()) {
            if (k != MapKind.MEAN && k.id().equals(prefix)) {
                return k;
            }
        }
        return null;
    }

    /** The tensor stored as {@code stored}, named {@code name}; a missing one is a format error of the file. */
    private static Tensor tensor(SafeTensorsFile f, String stored, String name) throws IOException {
        if (!f.has(stored)) {
            throw new IOException("the file has no tensor " + stored + ": not a checkpoint of this run");
        }
        Tensor t = f.get(stored);
        return new Tensor(name, t.shape(), t.data());
    }

    private static Parameters checkedLayout(Path file, Parameters layout, Parameters p) throws IOException {
        try {
            layout.requireSameLayout(p);
            return p;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit this run's configuration: " + e.getMessage(), e);
        }
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Writes a file under a temporary name beside it and renames it into place. */
    private static void atomically(Path file, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
