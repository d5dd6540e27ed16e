package org.neuralgrid.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.io.HeatmapExport;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.render.ColourScale;
import org.neuralgrid.render.MapPicture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Draw one epoch's picture of a run's grid as a PNG (the write-up's Figures 2 and 3: the",
            "per-class mean activations; or their standard deviations, the classes' contrasts, the grid weights or",
            "biases), or write its numbers as .npy or CSV: a command-line run folder or a dashboard run's",
            "(DATA/runs/ID)."})
final class RenderCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "a run folder with config.json and heatmaps/")
    Path run;

    @Option(names = "--map", description = "mean, std, contrast, weights or biases (default: ${DEFAULT-VALUE}); "
            + "runs of earlier versions have only mean")
    String map = "mean";

    @Option(names = "--epoch", description = "an epoch (0: before training), best, or last (default: ${DEFAULT-VALUE})")
    String epoch = "last";

    @Option(names = "--format", description = "png, npy (float32 of shape (maps, layers, rows, cols): the stored "
            + "frame's values) or csv (map,layer,row,col,value) (default: ${DEFAULT-VALUE})")
    String format = "png";

    @Option(names = "--scale", description = "diverging (blue-white-red, 0 white), viridis, or auto: diverging for "
            + "contrast, weights and biases, and for the other maps of sin and tanh (default: ${DEFAULT-VALUE})")
    String scale = "auto";

    @Option(names = "--layer", description = "3D grids: the layer whose sheets are drawn, 1-based (default: the last)")
    Integer layer;

    @Option(names = "--out", description = "the file (default: RUN_DIR/maps-epoch-N.png, or maps-KIND-epoch-N.FORMAT "
            + "for other maps and formats)")
    Path out;

    @Override
    public Integer call() throws IOException {
        MapKind kind = CliErrors.option("--map", () -> MapKind.of(map));
        String ext = CliErrors.option("--format", () -> checkedFormat(format));
        RunConfig config = RunFiles.readConfig(run);
        RunFiles files = RunFiles.at(run);
        int e = epochNumber(files, kind);
        HeatmapFrame frame = HeatmapFrame.decode(files.readHeatmap(kind, e).orElseThrow(() ->
                new IllegalArgumentException("--epoch " + epoch + ": " + run + " has no "
                        + (kind == MapKind.MEAN ? "" : kind.id() + " ") + "maps of epoch " + e)));
        Path file = out != null ? out : run.resolve(String.format(Locale.ROOT, "maps-%sepoch-%d.%s",
                kind == MapKind.MEAN ? "" : kind.id() + "-", e, ext));
        switch (ext) {
            case "npy" -> write(file, HeatmapExport.npy(frame));
            case "csv" -> write(file, HeatmapExport.csv(frame).getBytes(StandardCharsets.UTF_8));
            default -> MapPicture.writePng(MapPicture.render(frame, style(config, kind, e, frame)), file);
        }
        System.out.println(file);
        return 0;
    }

    private static String checkedFormat(String text) {
        if (!List.of("png", "npy", "csv").contains(text)) {
            throw new IllegalArgumentException("must be png, npy or csv, got '" + text + "'");
        }
        return text;
    }

    /** The picture's title, panel names, colour scale and layer. */
    private MapPicture.Style style(RunConfig config, MapKind kind, int e, HeatmapFrame frame) {
        ColourScale colours = !scale.equals("auto") ? CliErrors.option("--scale", () -> ColourScale.parse(scale))
                : kind.diverging() ? ColourScale.DIVERGING : ColourScale.forActivation(config.activation().id());
        int sheet = layer == null ? frame.layers() - 1 : layer - 1;
        if (sheet < 0 || sheet >= frame.layers()) {
            throw new IllegalArgumentException("--layer must be between 1 and " + frame.layers() + ", got " + layer);
        }
        String title = String.format(Locale.ROOT, "%s grid, epoch %d%s: %s", config.gridText(), e,
                config.is3d() ? ", layer " + (sheet + 1) + " of " + frame.layers() : "", what(kind, config.is3d()));
        List<String> names = kind.perClass() ? List.of(Dataset.CLASS_NAMES) : List.of(kind.id());
        return new MapPicture.Style(title, names, colours, sheet);
    }

    /** What the maps of a kind show, for the title (a 2D map's columns are layers, as GridPictures lays them). */
    private static String what(MapKind kind, boolean is3d) {
        return switch (kind) {
            case MEAN -> "mean activation per class";
            case STD -> "activation standard deviation per class";
            case CONTRAST -> "contrast per class (mean minus the mean over classes)";
            case WEIGHTS -> is3d ? "grid weights" : "grid weights (column l: source layer l)";
            case BIASES -> is3d ? "grid biases" : "grid biases (column l: layer l+1)";
        };
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, bytes);
    }

    /** The epoch the option names: a number, the best epoch (from best.safetensors), or the last one with maps. */
    private int epochNumber(RunFiles files, MapKind kind) throws IOException {
        return switch (epoch) {
            case "best" -> {
                Path best = files.weights(RunFiles.Weights.BEST);
                if (!Files.exists(best)) {
                    throw new IllegalArgumentException("--epoch best: " + run + " has no best.safetensors");
                }
                yield RunFiles.epochOf(best);
            }
            case "last" -> files.lastHeatmapEpoch(kind).orElseThrow(() -> new IllegalArgumentException(run
                    + " has no " + (kind == MapKind.MEAN ? "" : kind.id() + " ") + "maps yet"
                    + (Files.isDirectory(files.heatmap(0).getParent()) ? "" : " (no heatmaps/ folder: was it trained"
                    + " by this version?)")));
            default -> CliErrors.option("--epoch", () -> {
                try {
                    return Integer.parseInt(epoch.trim());
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("must be a whole number, best or last, got '" + epoch + "'");
                }
            });
        };
    }
}
