package org.neuralgrid.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.SweepCsv;
import org.neuralgrid.engine.SweepCsv.Outcome;
import org.neuralgrid.engine.TrainingCancelledException;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.model.SweepSpec;
import org.neuralgrid.model.SweepSpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sweep", mixinStandardHelpOptions = true, modelTransformer = ConfigOptions.class,
        description = {"Train a run for every point of a sweep and seed, one after another. A field's option",
                "takes one value, a list (--kernel 3,5,7) or, with --random N, a range (--lr 1e-4..1e-2).",
                "--out DIR gets a run folder per run (as train writes it), sweep.csv (a row per run),",
                "points.csv (a row per point: mean and std over the seeds) and sweep.json (the sweep)."})
final class SweepCommand implements Callable<Integer> {
    static final String SPEC = "sweep.json";
    static final String RUNS = "sweep.csv";
    static final String POINTS = "points.csv";
    /** The options --resume goes with: the rest would change the sweep that sweep.json fixes. */
    private static final Set<String> WITH_RESUME = Set.of("--resume", "--data-dir", "--dry-run");

    @Spec
    CommandSpec spec;

    @Mixin
    StartingPoint start;

    @Option(names = "--seeds", paramLabel = "N", description = "runs per point, with seeds --seed, --seed + 1, ..."
            + " (default: ${DEFAULT-VALUE})")
    int seeds = 1;

    @Option(names = "--random", paramLabel = "N", description = "draw N points from the lists and ranges (seeded by"
            + " --seed) instead of running every combination")
    Integer random;

    @Option(names = "--name", description = "the sweep's name (default: the --out folder's name)")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "a new or empty folder for the sweep (required)")
    Path out;

    @Option(names = "--dry-run", description = "print the points and the number of runs, train nothing")
    boolean dryRun;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue the sweep in DIR: finished runs are"
            + " kept, an interrupted one continues from its checkpoint, the rest run")
    Path resume;

    @Option(names = "--data-dir", description = "folder of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data", "fashion-mnist");

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = System.out;
        Path dir = resume != null ? resume : out;
        SweepSpec sweep = resume != null ? resumed() : fromOptions();
        stdout.printf(Locale.ROOT, "sweep %s: %d points x %d seeds = %d runs (%s)%n", sweep.name(),
                sweep.pointCount(), sweep.seeds(), sweep.runCount(), sweep.mode().id());
        sweep.points().forEach(p -> stdout.println("  " + p.label()));
        if (dryRun) {
            return 0;
        }
        if (resume == null) {
            start(dir, sweep);
        }
        return runAll(dir, sweep, stdout);
    }

    /** The sweep the options describe: a list or range sweeps its field, a single value sets it in the base. */
    private SweepSpec fromOptions() {
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required: the folder the sweep's runs go to");
        }
        Map<String, String> fixed = new LinkedHashMap<>(start.gridFields());
        Map<String, String> swept = new LinkedHashMap<>();
        ConfigOptions.given(spec).forEach((field, text) -> (SweepSpecJson.isSwept(text) ? swept : fixed)
                .put(field, text));
        RunConfig base = RunConfigJson.fromText(start.base(), fixed);
        List<SweepSpec.Axis> axes = SweepSpecJson.axesFromText(swept);
        String sweepName = name != null ? name : String.valueOf(out.toAbsolutePath().normalize().getFileName());
        return (random == null ? SweepSpec.grid(sweepName, base, axes, seeds)
                : SweepSpec.random(sweepName, base, axes, seeds, random)).validated();
    }

    /** The sweep of --resume DIR, as its sweep.json says. */
    private SweepSpec resumed() throws IOException {
        List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName).filter(o -> !WITH_RESUME.contains(o)).toList();
        if (!others.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the sweep as its " + SPEC + " says: leave out "
                    + String.join(", ", others));
        }
        if (!Files.exists(resume.resolve(SPEC))) {
            throw new IllegalArgumentException("--resume " + resume + ": there is no " + SPEC + " in it");
        }
        return SweepSpecJson.read(Files.readString(resume.resolve(SPEC))).validated();
    }

    /** Makes the sweep's folder, new or empty, and writes sweep.json into it. */
    private static void start(Path dir, SweepSpec sweep) throws IOException {
        if (Files.exists(dir.resolve(SPEC))) {
            throw new IllegalArgumentException("--out " + dir + " already holds a sweep: continue it with --resume "
                    + dir + ", or choose another folder");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + dir + " is not empty: choose a new or empty folder");
                }
            }
        }
        Files.createDirectories(dir);
        write(dir.resolve(SPEC), SweepSpecJson.write(sweep) + "\n");
    }

    /**
     * Trains each run that is not finished (listed in sweep.csv, with its weights): from its checkpoint when its
     * folder has one, else anew; sweep.csv and points.csv are rewritten after each run.
     */
    private int runAll(Path dir, SweepSpec sweep, PrintStream stdout) throws IOException {
        List<SweepSpec.Run> runs = sweep.runs();
        Set<String> finished = SweepCsv.finishedRuns(dir.resolve(RUNS));
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            SweepSpec.Run run = runs.get(i);
            Path runDir = dir.resolve(run.folder());
            String title = String.format(Locale.ROOT, "run %d/%d: %s, seed %d: %s", i + 1, runs.size(),
                    run.point().label(), run.seed(), runDir);
            List<EpochMetrics> kept = finished.contains(run.folder()) && Files.exists(runDir.resolve(RunFiles.WEIGHTS))
                    ? MetricsCsv.read(runDir.resolve(TrainCommand.METRICS)) : List.of();
            if (!kept.isEmpty()) {
                stdout.println(title + " (finished: kept)");
            } else {
                boolean fromCheckpoint = Files.exists(runDir.resolve(RunFiles.CHECKPOINT));
                if (!fromCheckpoint) {
                    RunFiles.deleteFolder(runDir); // no checkpoint: started again from nothing
                }
                stdout.println(title);
                try {
                    TrainCommand.trainInto(runDir, run.config(), fromCheckpoint, dataDir, stdout);
                } catch (TrainingCancelledException e) {
                    writeResults(dir, sweep, outcomes);
                    stdout.println("stopped in epoch " + e.epoch() + " of run " + (i + 1) + ", its progress saved:"
                            + " continue with neuralgrid sweep --resume " + dir);
                    return 130;
                }
            }
            outcomes.add(Outcome.of(run, MetricsCsv.read(runDir.resolve(TrainCommand.METRICS))));
            writeResults(dir, sweep, outcomes);
        }
        stdout.println("results: " + dir.resolve(RUNS) + ", " + dir.resolve(POINTS));
        SweepCsv.byPoint(sweep, outcomes).stream().max(Comparator.comparingDouble(SweepCsv.PointResult::bestTestMean))
                .ifPresent(best -> stdout.printf(Locale.ROOT, "best point: %s, best test accuracy %.2f %% (mean of %d"
                        + " run%s)%n", best.point().label(), 100 * best.bestTestMean(), best.runs(),
                        best.runs() == 1 ? "" : "s"));
        return 0;
    }

    private static void writeResults(Path dir, SweepSpec sweep, List<Outcome> outcomes) throws IOException {
        write(dir.resolve(RUNS), SweepCsv.runs(sweep, outcomes));
        write(dir.resolve(POINTS), SweepCsv.points(sweep, outcomes));
    }

    /** Writes a file under a temporary name and renames it into place: a stop never leaves half a summary. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

}
