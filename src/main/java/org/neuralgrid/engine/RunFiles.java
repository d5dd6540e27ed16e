package org.neuralgrid.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralgrid.io.SafeTensors;
import org.neuralgrid.io.SafeTensorsFile;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.model.Tensor;

/**
 * A run's folder: {@code config.json} (the full run configuration), {@code weights.safetensors} (the parameters
 * after the last finished epoch) and {@code checkpoint.safetensors} (the same plus Adam's moments, to resume).
 * Every file is written under a temporary name and renamed, so a crash never leaves half a file.
 */
public final class RunFiles implements Trainer.Checkpoints {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String CHECKPOINT = "checkpoint.safetensors";
    private static final String FIRST_MOMENT = "adam.m.";
    private static final String SECOND_MOMENT = "adam.v.";

    private final Path dir;
    private final RunConfig config;

    public RunFiles(Path dir, RunConfig config) {
        this.dir = dir;
        this.config = config;
    }

    public Path dir() {
        return dir;
    }

    public Path weights() {
        return dir.resolve(WEIGHTS);
    }

    public Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    public void writeConfig() throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, CONFIG, ".tmp");
        try {
            Files.writeString(tmp, RunConfigJson.write(config));
            Files.move(tmp, dir.resolve(CONFIG), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static RunConfig readConfig(Path dir) throws IOException {
        return RunConfigJson.read(Files.readString(dir.resolve(CONFIG)));
    }

    /** Writes the checkpoint (parameters and optimizer state) and the weights. */
    @Override
    public void save(int epoch, Backend backend, boolean last) {
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
            Files.createDirectories(dir);
            SafeTensors.write(checkpoint(), all, meta);
            SafeTensors.write(weights(), p.tensors(), metadata(epoch));
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

    /** A checkpoint read back: the epoch it was taken after, the parameters and Adam's state. */
    public record Checkpoint(int epoch, Parameters parameters, OptimizerState optimizer) {
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
        int epoch = Integer.parseInt(f.metadata().getOrDefault("epoch", "0"));
        long step = Long.parseLong(f.metadata().getOrDefault("adam_step", "0"));
        return new Checkpoint(epoch, p, new OptimizerState(step, new Parameters(m), new Parameters(v)));
    }

    /** Reads weights written by {@link #save}, checked against the layout. */
    public static Parameters readWeights(Path file, Parameters layout) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file);
        List<Tensor> params = new ArrayList<>();
        for (Tensor t : layout.tensors()) {
            params.add(tensor(f, t.name(), t.name()));
        }
        return checkedLayout(file, layout, new Parameters(params));
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
}
