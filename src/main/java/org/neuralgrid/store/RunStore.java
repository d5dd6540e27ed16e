package org.neuralgrid.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.bus.RunId;
import org.neuralgrid.bus.RunName;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.model.SweepSpec;
import org.neuralgrid.model.SweepSpecJson;

/**
 * The runs the server keeps: one SQLite database ({@code DATA/runs.db}, plain JDBC, WAL) for runs and their
 * epoch metrics, and beside it a folder per run ({@code DATA/runs/{id}/}) in the {@link RunFiles} layout, with
 * its heatmaps: per epoch one encoded {@link HeatmapFrame} of each {@link MapKind} ({@code heatmaps/epoch-00000.ngh}
 * the mean maps, {@code heatmaps/std-epoch-00000.ngh} and so on the others). Rewinding a run and deleting it
 * take every kind's frames with them.
 *
 * <p>Every method is synchronized: the store is shared by the worker verticle and the training threads. Every
 * method that takes a run id checks it with {@link RunId#isValid} first, so no other text reaches a file path.
 * Failures of the database or the files are {@link RunStoreException}s naming the file.
 */
public final class RunStore implements AutoCloseable {
    public static final String DATABASE = "runs.db";
    public static final String RUNS = "runs";
    public static final String HEATMAPS = "heatmaps";
    /** Set on runs that were running when the server went away. */
    public static final String INTERRUPTED_MESSAGE = "the server was stopped during training; its progress is saved"
            + " up to the batch where it stopped, and resume continues from there";
    /** Set on runs that were running when the server went away without stopping (a crash, kill -9). */
    public static final String LOST_MESSAGE = "the server went away during training; resume continues from the last"
            + " checkpoint";

    /**
     * 4: the cluster node a run was handed to; 3: sweeps; 2: validation metrics and the best epoch (older stores are
     * migrated on open).
     */
    private static final int SCHEMA_VERSION = 4;
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final System.Logger LOG = System.getLogger(RunStore.class.getName());
    private static final String COLUMNS = "id, name, status, config, epoch, epochs, best_epoch, best_test_accuracy, "
            + "backend, device, message, created, started, finished, sweep_id, sweep_point, node, node_host, attempt";
    private static final String METRIC_COLUMNS = "epoch, train_loss, train_accuracy, validation_loss, "
            + "validation_accuracy, test_loss, test_accuracy, learning_rate, seconds, samples_per_second";

    private final Path database;
    private final Path runsDir;
    private final Connection db;

    private RunStore(Path database, Path runsDir, Connection db) {
        this.database = database;
        this.runsDir = runsDir;
        this.db = db;
    }

    /**
     * Opens (or creates) the store in {@code dataDir}. Runs left running by a process that is gone become
     * interrupted, so that they can be resumed.
     */
    public static RunStore open(Path dataDir) {
        Path database = dataDir.resolve(DATABASE);
        Path runsDir = dataDir.resolve(RUNS);
        try {
            Files.createDirectories(runsDir);
        } catch (IOException e) {
            throw new RunStoreException("could not create the run folder " + runsDir + ": " + e, e);
        }
        Connection db = null;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
            RunStore store = new RunStore(database, runsDir, db);
            store.prepare();
            store.recoverLostRuns();
            return store;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(db);
            throw new RunStoreException("could not open the run store " + database.toAbsolutePath() + ": "
                    + e.getMessage() + " (is it a NeuralGrid runs.db? move it away to start afresh)", e);
        }
    }

    private void prepare() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA foreign_keys = ON");
            int version;
            try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                version = r.next() ? r.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("its schema version " + version + " is newer than this NeuralGrid's ("
                        + SCHEMA_VERSION + ")");
            }
            s.execute("""
                    CREATE TABLE IF NOT EXISTS sweeps (
                      id TEXT PRIMARY KEY,
                      name TEXT NOT NULL,
                      spec TEXT NOT NULL,
                      created INTEGER NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS runs (
                      id TEXT PRIMARY KEY,
                      name TEXT NOT NULL,
                      status TEXT NOT NULL,
                      config TEXT NOT NULL,
                      epoch INTEGER NOT NULL DEFAULT 0,
                      epochs INTEGER NOT NULL,
                      best_epoch INTEGER,
                      best_test_accuracy REAL,
                      backend TEXT,
                      device TEXT,
                      message TEXT,
                      created INTEGER NOT NULL,
                      started INTEGER,
                      finished INTEGER,
                      sweep_id TEXT REFERENCES sweeps(id),
                      sweep_point TEXT,
                      node TEXT,
                      node_host TEXT,
                      attempt TEXT)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS metrics (
                      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      epoch INTEGER NOT NULL,
                      train_loss REAL,
                      train_accuracy REAL,
                      validation_loss REAL,
                      validation_accuracy REAL,
                      test_loss REAL,
                      test_accuracy REAL,
                      learning_rate REAL,
                      seconds REAL,
                      samples_per_second REAL,
                      PRIMARY KEY (run_id, epoch))""");
            s.execute("CREATE INDEX IF NOT EXISTS runs_by_created ON runs(created)");
            if (version == 1) {
                migrateFromVersion1(s);
            }
            if (version == 1 || version == 2) {
                s.execute("ALTER TABLE runs ADD COLUMN sweep_id TEXT REFERENCES sweeps(id)");
                s.execute("ALTER TABLE runs ADD COLUMN sweep_point TEXT");
            }
            if (version >= 1 && version <= 3) {
                s.execute("ALTER TABLE runs ADD COLUMN node TEXT");
                s.execute("ALTER TABLE runs ADD COLUMN node_host TEXT");
                s.execute("ALTER TABLE runs ADD COLUMN attempt TEXT");
            }
            s.execute("CREATE INDEX IF NOT EXISTS runs_by_sweep ON runs(sweep_id)");
            s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
    }

    /**
     * Runs of this process still marked running were left by a process that went away without stopping them
     * (runs handed to cluster nodes may still train there: {@link #runningOnNodes}).
     */
    private void recoverLostRuns() {
        for (RunRecord run : query("SELECT " + COLUMNS + " FROM runs WHERE status = ? AND node IS NULL",
                RunStatus.RUNNING.id())) {
            lost(run.id(), LOST_MESSAGE);
        }
    }

    /**
     * A running run whose trainer went away without stopping it becomes interrupted with {@code message}, and
     * everything after its last checkpoint in this store (metrics, maps, a best epoch) is forgotten, since resuming
     * trains it again.
     */
    public synchronized Optional<RunRecord> lost(String id, String message) {
        // no attempt any more: reports of the one that went are refused
        update("UPDATE runs SET status = ?, message = ?, finished = ?, attempt = NULL WHERE id = ?",
                RunStatus.INTERRUPTED.id(), message, now(), checked(id));
        try {
            Optional<Trainer.Start> saved = RunFiles.at(runDir(id)).checkpointStart();
            rewind(id, saved.map(s -> s.epoch() - 1).orElse(0), saved.map(Trainer.Start::best).orElse(BestEpoch.NONE));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "run " + id + ": its checkpoint could not be read ("
                    + e.getMessage() + "); it cannot be resumed");
        }
        return find(id);
    }

    /** Runs marked running that were handed to cluster nodes: they may still train there. */
    public synchronized List<RunRecord> runningOnNodes() {
        return query("SELECT " + COLUMNS + " FROM runs WHERE status = ? AND node IS NOT NULL", RunStatus.RUNNING.id());
    }

    /** Version 1 had no validation and chose the best epoch on test accuracy: so do its runs. */
    private static void migrateFromVersion1(Statement s) throws SQLException {
        s.execute("ALTER TABLE metrics ADD COLUMN validation_loss REAL");
        s.execute("ALTER TABLE metrics ADD COLUMN validation_accuracy REAL");
        s.execute("ALTER TABLE runs ADD COLUMN best_epoch INTEGER");
        s.execute("UPDATE runs SET best_epoch = (SELECT epoch FROM metrics WHERE run_id = runs.id "
                + "ORDER BY test_accuracy DESC, epoch LIMIT 1)");
    }

    public Path database() {
        return database;
    }

    /**
     * Stores a new queued run and writes its config.json; a blank name becomes one made from the config.
     *
     * @throws IllegalArgumentException for a name that {@link RunName} refuses
     */
    public synchronized RunRecord create(String name, RunConfig config) {
        String cleanName = RunName.clean(name);
        String id = newId();
        RunRecord run = new RunRecord(id, cleanName.isEmpty() ? defaultName(config, id) : cleanName,
                RunStatus.QUEUED, config, 0, config.epochs(), null, null, config.backend().toString(), null, null, now(),
                null, null, java.util.Set.of(), null, null, null);
        try {
            new RunFiles(runDir(id), config).writeConfig();
        } catch (IOException e) {
            throw new RunStoreException("could not write the configuration of run " + id + " to " + runDir(id)
                    + ": " + e, e);
        }
        insert(run);
        return run;
    }

    private void insert(RunRecord run) {
        update("INSERT INTO runs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL,"
                + " NULL)", run.id(), run.name(), run.status().id(), RunConfigJson.write(run.config()), run.epoch(),
                run.epochs(), run.bestEpoch(), run.bestTestAccuracy(), run.backend(), run.device(), run.message(),
                run.created(), run.started(), run.finished(), run.sweep(), run.point());
    }

    /**
     * Stores a sweep and all its runs, queued, in one transaction (each run's config.json written): all or nothing.
     * The spec must be valid ({@link SweepSpec#validated}); a blank name becomes one made from the swept fields.
     */
    public synchronized SweepRecord createSweep(SweepSpec spec) {
        String id = newSweepId();
        String name = spec.name().isEmpty() ? defaultSweepName(spec, id) : spec.name();
        SweepRecord sweep = new SweepRecord(id, name, spec, now());
        List<String> made = new ArrayList<>();
        try {
            db.setAutoCommit(false);
            update("INSERT INTO sweeps (id, name, spec, created) VALUES (?, ?, ?, ?)", id, name,
                    SweepSpecJson.write(spec), sweep.created());
            for (SweepSpec.Run r : spec.runs()) {
                RunRecord run = sweepRun(sweep, r);
                made.add(run.id());
                new RunFiles(runDir(run.id()), run.config()).writeConfig();
                insert(run);
            }
            db.commit();
            return sweep;
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            made.forEach(this::deleteFolderQuietly);
            throw e instanceof RunStoreException rse ? rse
                    : new RunStoreException("could not store sweep " + name + ": " + e.getMessage(), e);
        } finally {
            autoCommitQuietly();
        }
    }

    private RunRecord sweepRun(SweepRecord sweep, SweepSpec.Run r) {
        String id = newId();
        String name = sweep.name() + " · " + r.point().label() + " · seed " + r.seed();
        if (RunName.problem(name) != null) {
            name = defaultName(r.config(), id) + " · seed " + r.seed();
        }
        return new RunRecord(id, name, RunStatus.QUEUED, r.config(), 0, r.config().epochs(), null, null,
                r.config().backend().toString(), null, null, now(), null, null, Set.of(), sweep.id(),
                SweepSpecJson.pointJson(r.point()), null);
    }

    public synchronized Optional<SweepRecord> findSweep(String id) {
        return querySweeps("SELECT id, name, spec, created FROM sweeps WHERE id = ?", checked(id)).stream()
                .findFirst();
    }

    /** Every sweep, newest first. */
    public synchronized List<SweepRecord> listSweeps() {
        return querySweeps("SELECT id, name, spec, created FROM sweeps ORDER BY created DESC, rowid DESC");
    }

    /** Forgets a sweep whose runs are deleted already (a run still naming it keeps it: false). */
    public synchronized boolean deleteSweep(String id) {
        checked(id);
        if (!query("SELECT " + COLUMNS + " FROM runs WHERE sweep_id = ?", id).isEmpty()) {
            return false;
        }
        return update("DELETE FROM sweeps WHERE id = ?", id) > 0;
    }

    /** A sweep's runs in the sweep's order (each point's seeds in turn). */
    public synchronized List<RunRecord> sweepRuns(String sweepId) {
        return query("SELECT " + COLUMNS + " FROM runs WHERE sweep_id = ? ORDER BY rowid", checked(sweepId));
    }

    /**
     * What each run of a sweep has trained so far, by run id: the last epoch's test accuracy and the seconds of
     * all its epochs (runs without epochs are absent).
     */
    public synchronized Map<String, RunTotals> sweepTotals(String sweepId) {
        Map<String, RunTotals> totals = new java.util.HashMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT m.run_id, SUM(m.seconds), "
                + "(SELECT test_accuracy FROM metrics WHERE run_id = m.run_id ORDER BY epoch DESC LIMIT 1) "
                + "FROM metrics m JOIN runs r ON r.id = m.run_id WHERE r.sweep_id = ? GROUP BY m.run_id")) {
            p.setString(1, checked(sweepId));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    totals.put(r.getString(1), new RunTotals(number(r, 3), number(r, 2)));
                }
            }
        } catch (SQLException e) {
            throw failure("read the totals of sweep " + sweepId, e);
        }
        return totals;
    }

    /** The last epoch's test accuracy (NaN if none was measured) and the seconds of all the epochs of a run. */
    public record RunTotals(double finalTestAccuracy, double seconds) {
    }

    /**
     * How fast runs have trained here, per backend in use: the median over the newest epochs (at most
     * {@code limit}) of (training + test samples) x cells per second. What a sweep's estimate divides by.
     */
    public synchronized Map<String, Double> cellSamplesPerSecond(int limit) {
        Map<String, List<Double>> rates = new java.util.HashMap<>();
        Map<String, Double> workOf = new java.util.HashMap<>(); // a run's epochs share its configuration
        try (PreparedStatement p = db.prepareStatement("SELECT r.backend, r.config, m.seconds FROM metrics m "
                + "JOIN runs r ON r.id = m.run_id WHERE m.seconds > 0 AND r.backend IS NOT NULL "
                + "ORDER BY r.created DESC, m.epoch DESC LIMIT ?")) {
            p.setInt(1, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    double work = workOf.computeIfAbsent(r.getString(2), json -> epochWork(RunConfigJson.read(json)));
                    rates.computeIfAbsent(r.getString(1), b -> new ArrayList<>()).add(work / r.getDouble(3));
                }
            }
        } catch (SQLException e) {
            throw failure("read the epoch times", e);
        }
        Map<String, Double> medians = new java.util.HashMap<>();
        rates.forEach((backend, list) -> {
            list.sort(null);
            medians.put(backend, list.get(list.size() / 2));
        });
        return medians;
    }

    /** The work of one epoch: every sample the epoch trains on or tests, through every cell. */
    public static double epochWork(RunConfig c) {
        return (double) (c.trainCount() + c.testCount()) * c.depth() * c.cellsPerLayer();
    }

    public synchronized Optional<RunRecord> find(String id) {
        List<RunRecord> found = query("SELECT " + COLUMNS + " FROM runs WHERE id = ?", checked(id));
        return found.stream().findFirst();
    }

    /** Every run, newest first. */
    public synchronized List<RunRecord> list() {
        return query("SELECT " + COLUMNS + " FROM runs ORDER BY created DESC, rowid DESC");
    }

    /** Runs waiting to train, oldest first: the order they start in. */
    public synchronized List<RunRecord> queued() {
        return query("SELECT " + COLUMNS + " FROM runs WHERE status = ? ORDER BY created, rowid",
                RunStatus.QUEUED.id());
    }

    /** How many runs have each status (every status present, 0 where none). */
    public synchronized Map<RunStatus, Integer> countByStatus() {
        Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
        for (RunStatus s : RunStatus.values()) {
            counts.put(s, 0);
        }
        try (PreparedStatement p = db.prepareStatement("SELECT status, COUNT(*) FROM runs GROUP BY status");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                counts.put(RunStatus.parse(r.getString(1)), r.getInt(2));
            }
        } catch (SQLException e) {
            throw failure("count runs", e);
        }
        return counts;
    }

    /**
     * Sets a run's status and message. Completed, failed and cancelled runs get their finish time; queued and
     * running runs lose it. Empty when there is no such run (any more).
     */
    public synchronized Optional<RunRecord> setStatus(String id, RunStatus status, String message) {
        update("UPDATE runs SET status = ?, message = ?, finished = ? WHERE id = ?",
                status.id(), message, status.finished() ? now() : null, checked(id));
        return find(id);
    }

    /** The run starts training now, in this process: running, started now, no message, not finished. */
    public synchronized Optional<RunRecord> markStarted(String id) {
        update("UPDATE runs SET status = ?, message = NULL, started = ?, finished = NULL, node = NULL,"
                + " node_host = NULL, attempt = NULL WHERE id = ?", RunStatus.RUNNING.id(), now(), checked(id));
        return find(id);
    }

    /** The run starts training now on a cluster node: running, started now, handed to that node and attempt. */
    public synchronized Optional<RunRecord> markPlaced(String id, RunRecord.Placement placement) {
        update("UPDATE runs SET status = ?, message = NULL, started = ?, finished = NULL, node = ?, node_host = ?,"
                + " attempt = ? WHERE id = ?", RunStatus.RUNNING.id(), now(), placement.node(), placement.host(),
                placement.attempt(), checked(id));
        return find(id);
    }

    /** The backend and device a run trains on, once they are open. */
    public synchronized Optional<RunRecord> recordDevice(String id, String backend, String device) {
        update("UPDATE runs SET backend = ?, device = ? WHERE id = ?", backend, device, checked(id));
        return find(id);
    }

    /**
     * Stores an epoch's metrics (replacing any of the same epoch) and moves the run's epoch, its best epoch (as the
     * trainer chose it) and that epoch's test accuracy.
     */
    public synchronized Optional<RunRecord> recordEpoch(String id, EpochMetrics m, BestEpoch best) {
        checked(id);
        if (find(id).isEmpty()) {
            return Optional.empty();
        }
        update("INSERT OR REPLACE INTO metrics (run_id, " + METRIC_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, m.epoch(), m.trainLoss(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(),
                m.testLoss(), m.testAccuracy(), m.learningRate(), m.seconds(), m.samplesPerSecond());
        update("UPDATE runs SET epoch = ? WHERE id = ?", m.epoch(), id);
        setBest(id, best);
        return find(id);
    }

    private void setBest(String id, BestEpoch best) {
        update("UPDATE runs SET best_epoch = ?, best_test_accuracy = "
                + "(SELECT test_accuracy FROM metrics WHERE run_id = ? AND epoch = ?) WHERE id = ?",
                best.isNone() ? null : best.epoch(), id, best.epoch(), id);
    }

    /** The epoch metrics of a run, in epoch order (empty for an unknown run). */
    public synchronized List<EpochMetrics> metrics(String id) {
        List<EpochMetrics> all = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT " + METRIC_COLUMNS + " FROM metrics WHERE run_id = ? "
                + "ORDER BY epoch")) {
            p.setString(1, checked(id));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    all.add(new EpochMetrics(r.getInt(1), number(r, 2), number(r, 3), number(r, 4), number(r, 5),
                            number(r, 6), number(r, 7), number(r, 8), number(r, 9), number(r, 10)));
                }
            }
        } catch (SQLException e) {
            throw failure("read the metrics of run " + id, e);
        }
        return all;
    }

    /**
     * Forgets everything after {@code epoch} (metrics and heatmaps of every kind), for a run that resumes from the checkpoint
     * of that epoch; its epoch and best epoch go back to the checkpoint's.
     */
    public synchronized Optional<RunRecord> rewind(String id, int epoch, BestEpoch best) {
        update("DELETE FROM metrics WHERE run_id = ? AND epoch > ?", checked(id), epoch);
        update("UPDATE runs SET epoch = ? WHERE id = ?", epoch, id);
        setBest(id, best);
        RunFiles files = RunFiles.at(runDir(id));
        try {
            files.deleteHeatmapsAfter(epoch);
        } catch (IOException e) {
            throw new RunStoreException("could not delete the heatmaps after epoch " + epoch + " in " + files.dir()
                    + ": " + e, e);
        }
        return find(id);
    }

    /** Writes a heatmap frame (its kind's file) under a temporary name and renames it into place. */
    public synchronized void writeHeatmap(String id, HeatmapFrame frame) {
        RunFiles files = RunFiles.at(runDir(id));
        try {
            files.writeHeatmap(frame);
        } catch (IOException e) {
            throw new RunStoreException("could not write the heatmap " + files.heatmap(frame.kind(), frame.epoch())
                    + ": " + e, e);
        }
    }

    /** The encoded {@link HeatmapFrame} of an epoch's mean maps, if there is one. */
    public synchronized Optional<byte[]> readHeatmap(String id, int epoch) {
        return readHeatmap(id, MapKind.MEAN, epoch);
    }

    /** The encoded {@link HeatmapFrame} of an epoch's maps of a kind, if there is one (older runs: mean only). */
    public synchronized Optional<byte[]> readHeatmap(String id, MapKind kind, int epoch) {
        RunFiles files = RunFiles.at(runDir(id));
        try {
            return files.readHeatmap(kind, epoch);
        } catch (IOException e) {
            throw new RunStoreException("could not read " + files.heatmap(kind, epoch) + ": " + e, e);
        }
    }

    /** The bytes of the run's final or best weights, if they have been written. */
    public synchronized Optional<byte[]> readWeights(String id, RunFiles.Weights which) {
        return readIfPresent(RunFiles.at(runDir(id)).weights(which));
    }

    /**
     * Writes a part of one of a run's files as a cluster node sends it: parts in order from offset 0 go to a
     * temporary file, which takes the file's place once the last part ({@code offset + bytes = total}) is in.
     * Returns whether the file is whole now.
     */
    public synchronized boolean writeRunFilePart(String id, String name, long offset, long total, byte[] bytes) {
        Path dir = runDir(id);
        Path target = dir.resolve(Path.of(name).getFileName().toString());
        Path part = dir.resolve(target.getFileName() + ".from-node");
        try {
            Files.createDirectories(dir);
            long have = Files.exists(part) ? Files.size(part) : -1;
            if (offset == 0) {
                Files.deleteIfExists(part);
                Files.write(part, bytes);
            } else if (have == offset) {
                Files.write(part, bytes, java.nio.file.StandardOpenOption.APPEND);
            } else if (have < 0 && Files.exists(target) && Files.size(target) == total) {
                return true; // the last part again (its acknowledgement was lost): the file is whole already
            } else if (have != offset + bytes.length) { // not this part again either
                throw new RunStoreException("a part of " + target + " came out of order (at " + offset + ", "
                        + have + " bytes so far)", null);
            }
            if (offset + bytes.length < total) {
                return false;
            }
            Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new RunStoreException("could not write " + target + ": " + e, e);
        }
    }

    /** The run's folder in the {@link RunFiles} layout; the run must exist. */
    public synchronized RunFiles runFiles(String id) {
        RunRecord run = find(id).orElseThrow(() -> new NoSuchElementException("no run " + id));
        return new RunFiles(runDir(id), run.config());
    }

    /** DATA/runs/{id}; the id is checked first. */
    public Path runDir(String id) {
        return runsDir.resolve(checked(id));
    }

    /** Removes a run's rows and its folder; false when there was no such run (its folder goes all the same). */
    public synchronized boolean delete(String id) {
        boolean existed = update("DELETE FROM runs WHERE id = ?", checked(id)) > 0;
        deleteFolder(runDir(id));
        return existed;
    }

    /**
     * Deletes a run's row (and its metrics) but not its folder, for a run whose training thread may still write
     * there: {@link #delete} takes the folder once the thread has stopped.
     */
    public synchronized boolean forget(String id) {
        return update("DELETE FROM runs WHERE id = ?", checked(id)) > 0;
    }

    private static void deleteFolder(Path dir) {
        try {
            RunFiles.deleteFolder(dir);
        } catch (IOException e) {
            throw new RunStoreException("could not delete the folder " + dir + ": " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(db);
    }

    /** A readable default: grid, activation, kernel and the start of the id, e.g. "64x64 sin k3 #3fa2". */
    static String defaultName(RunConfig config, String id) {
        return config.gridText() + " " + config.activation().id() + " k" + config.kernel() + " #" + id.substring(0, 4);
    }

    private String newId() {
        String id;
        do {
            id = RunId.random();
        } while (!query("SELECT " + COLUMNS + " FROM runs WHERE id = ?", id).isEmpty() || Files.exists(runsDir.resolve(id)));
        return id;
    }

    /** "sweep of kernel, gain #3fa2". */
    static String defaultSweepName(SweepSpec spec, String id) {
        String fields = spec.sweptFields().isEmpty() ? "seeds" : String.join(", ", spec.sweptFields());
        String name = "sweep of " + fields + " #" + id.substring(0, 4);
        return RunName.problem(name) == null ? name : "sweep #" + id.substring(0, 4);
    }

    private String newSweepId() {
        String id;
        do {
            id = RunId.random();
        } while (!querySweeps("SELECT id, name, spec, created FROM sweeps WHERE id = ?", id).isEmpty());
        return id;
    }

    private List<SweepRecord> querySweeps(String sql, Object... args) {
        List<SweepRecord> sweeps = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    try {
                        sweeps.add(new SweepRecord(id, r.getString(2), SweepSpecJson.read(r.getString(3)),
                                instant(r, "created")));
                    } catch (IllegalArgumentException e) {
                        throw new RunStoreException("sweep " + id + " in " + database.toAbsolutePath()
                                + " is unreadable: " + e.getMessage(), e);
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("read sweeps", e);
        }
        return sweeps;
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the transaction is abandoned either way
        }
    }

    private void autoCommitQuietly() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not restore auto-commit on " + database + ": " + e);
        }
    }

    private void deleteFolderQuietly(String id) {
        try {
            deleteFolder(runDir(id));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove " + runDir(id) + ": " + e.getMessage());
        }
    }

    private static String checked(String id) {
        if (!RunId.isValid(id)) {
            throw new IllegalArgumentException("not a run id: " + (id == null ? "null" : "'" + id + "'")
                    + " (expected 12 lower-case hex digits)");
        }
        return id;
    }


    private static Optional<byte[]> readIfPresent(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RunStoreException("could not read " + file + ": " + e, e);
        }
    }

    private static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        } catch (SQLException e) {
            throw failure("write runs", e);
        }
    }

    private List<RunRecord> query(String sql, Object... args) {
        List<RunRecord> runs = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    runs.add(read(r));
                }
            }
        } catch (SQLException e) {
            throw failure("read runs", e);
        }
        return runs;
    }

    private RunRecord read(ResultSet r) throws SQLException {
        String id = r.getString("id");
        try {
            double best = r.getDouble("best_test_accuracy");
            Double bestOrNull = r.wasNull() ? null : best;
            int bestEpoch = r.getInt("best_epoch");
            Integer bestEpochOrNull = r.wasNull() ? null : bestEpoch;
            return new RunRecord(id, r.getString("name"), RunStatus.parse(r.getString("status")),
                    RunConfigJson.read(r.getString("config")), r.getInt("epoch"), r.getInt("epochs"), bestEpochOrNull,
                    bestOrNull, r.getString("backend"), r.getString("device"), r.getString("message"),
                    instant(r, "created"), instant(r, "started"), instant(r, "finished"), weightsOf(id),
                    r.getString("sweep_id"), r.getString("sweep_point"), placement(r));
        } catch (IllegalArgumentException e) {
            throw new RunStoreException("run " + id + " in " + database.toAbsolutePath() + " is unreadable: "
                    + e.getMessage(), e);
        }
    }

    private static RunRecord.Placement placement(ResultSet r) throws SQLException {
        String node = r.getString("node");
        return node == null ? null : new RunRecord.Placement(node, r.getString("node_host"), r.getString("attempt"));
    }

    /** Which weights files a run has. */
    private Set<RunFiles.Weights> weightsOf(String id) {
        RunFiles files = RunFiles.at(runsDir.resolve(id));
        Set<RunFiles.Weights> present = EnumSet.noneOf(RunFiles.Weights.class);
        for (RunFiles.Weights w : RunFiles.Weights.values()) {
            if (Files.isRegularFile(files.weights(w))) {
                present.add(w);
            }
        }
        return present;
    }

    /** A REAL column: NaN for NULL. */
    private static double number(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? Double.NaN : v;
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        long millis = r.getLong(column);
        return r.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                p.setNull(i + 1, Types.NULL);
            } else if (a instanceof Instant t) {
                p.setLong(i + 1, t.toEpochMilli());
            } else if (a instanceof Double d) {
                if (Double.isFinite(d)) {
                    p.setDouble(i + 1, d);
                } else {
                    p.setNull(i + 1, Types.REAL);
                }
            } else if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                p.setLong(i + 1, n);
            } else {
                p.setString(i + 1, a.toString());
            }
        }
    }

    private RunStoreException failure(String what, SQLException e) {
        return new RunStoreException("the run store " + database.toAbsolutePath() + ": could not " + what + ": "
                + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is best effort
            }
        }
    }
}
