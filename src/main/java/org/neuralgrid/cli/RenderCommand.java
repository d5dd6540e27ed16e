package org.neuralgrid.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.render.ColourScale;
import org.neuralgrid.render.MapPicture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Draw a run's per-class activation maps of one epoch as a PNG (the write-up's Figures 2 and",
                "3): a command-line run folder or a dashboard run's (DATA/runs/ID)."})
final class RenderCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "a run folder with config.json and heatmaps/")
    Path run;

    @Option(names = "--epoch", description = "an epoch (0: before training), best, or last (default: ${DEFAULT-VALUE})")
    String epoch = "last";

    @Option(names = "--scale", description = "diverging (blue-white-red, 0 white), viridis, or auto: diverging for "
            + "sin and tanh (default: ${DEFAULT-VALUE})")
    String scale = "auto";

    @Option(names = "--layer", description = "3D grids: the layer whose sheets are drawn, 1-based (default: the last)")
    Integer layer;

    @Option(names = "--out", description = "the PNG file (default: RUN_DIR/maps-epoch-N.png)")
    Path out;

    @Override
    public Integer call() throws IOException {
        RunConfig config = RunFiles.readConfig(run);
        RunFiles files = RunFiles.at(run);
        int e = epochNumber(files);
        HeatmapFrame frame = HeatmapFrame.decode(files.readHeatmap(e).orElseThrow(() ->
                new IllegalArgumentException("--epoch " + epoch + ": " + run + " has no maps of epoch " + e)));
        ColourScale colours = scale.equals("auto") ? ColourScale.forActivation(config.activation().id())
                : CliErrors.option("--scale", () -> ColourScale.parse(scale));
        int sheet = layer == null ? frame.layers() - 1 : layer - 1;
        if (sheet < 0 || sheet >= frame.layers()) {
            throw new IllegalArgumentException("--layer must be between 1 and " + frame.layers() + ", got " + layer);
        }
        String title = String.format(Locale.ROOT, "%s grid, epoch %d%s: mean activation per class", config.gridText(),
                e, config.is3d() ? ", layer " + (sheet + 1) + " of " + frame.layers() : "");
        Path file = out != null ? out : run.resolve(String.format(Locale.ROOT, "maps-epoch-%d.png", e));
        MapPicture.writePng(MapPicture.render(frame, new MapPicture.Style(title, List.of(Dataset.CLASS_NAMES),
                colours, sheet)), file);
        System.out.println(file);
        return 0;
    }

    /** The epoch the option names: a number, the best epoch (from best.safetensors), or the last one with maps. */
    private int epochNumber(RunFiles files) throws IOException {
        return switch (epoch) {
            case "best" -> {
                Path best = files.weights(RunFiles.Weights.BEST);
                if (!Files.exists(best)) {
                    throw new IllegalArgumentException("--epoch best: " + run + " has no best.safetensors");
                }
                yield RunFiles.epochOf(best);
            }
            case "last" -> lastEpoch(files);
            default -> CliErrors.option("--epoch", () -> {
                try {
                    return Integer.parseInt(epoch.trim());
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("must be a whole number, best or last, got '" + epoch + "'");
                }
            });
        };
    }

    private int lastEpoch(RunFiles files) throws IOException {
        Path dir = files.heatmap(0).getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(run + " has no heatmaps/ folder: was it trained by this version?");
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("epoch-\\d+\\.ngh"))
                    .mapToInt(n -> Integer.parseInt(n.substring(6, n.length() - 4)))
                    .max().orElseThrow(() -> new IllegalArgumentException(run + " has no maps yet"));
        }
    }
}
