package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.io.MapKind;

/** {@code neuralgrid render}: a run folder's maps of an epoch, of any kind, as a PNG for a paper or as numbers. */
class RenderCommandTest {

    private static Path trainedRun(Path dir, String... extra) {
        String[] base = {"train", "--dataset", "synthetic", "--samples", "256", "--test-samples", "64", "--grid",
            "12x5", "--batch", "64", "--epochs", "2", "--validation", "64", "--out", dir.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CommandLineTest.Result r = CommandLineTest.run(args);
        assertEquals(0, r.code(), r.err());
        return dir;
    }

    @Test
    void theMapsBeforeTrainingAndOfTheBestEpochBecomePngsWithTenPanels(@TempDir Path dir) throws Exception {
        Path run = trainedRun(dir);
        for (String epoch : new String[] {"0", "best", "last"}) {
            Path png = dir.resolve("maps-" + epoch + ".png");
            CommandLineTest.Result r = CommandLineTest.run("render", run.toString(), "--epoch", epoch, "--out",
                    png.toString());
            assertEquals(0, r.code(), r.err());
            BufferedImage img = ImageIO.read(png.toFile());
            // two rows of five 12x5 maps, each drawn with 21 pixels a cell: 5 * 105 wide plus gaps
            assertEquals(14 + 5 * (5 * 21 + 14), img.getWidth(), epoch);
            assertTrue(img.getHeight() > 2 * 12 * 21, epoch);
        }
    }

    @Test
    void aSineRunIsDrawnBlueWhiteRedAndViridisOnRequest(@TempDir Path dir) throws Exception {
        Path run = trainedRun(dir);
        Path diverging = dir.resolve("d.png");
        Path viridis = dir.resolve("v.png");
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--epoch", "1", "--out", diverging.toString())
                .code());
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--epoch", "1", "--scale", "viridis", "--out",
                viridis.toString()).code());
        // inside the first panel (below the title and the class name): red and blue on one, none on the other
        assertTrue(hasRedAndBlue(ImageIO.read(diverging.toFile())), "diverging");
        assertTrue(!hasRedAndBlue(ImageIO.read(viridis.toFile())), "viridis");
    }

    @Test
    void everyMapKindBecomesAPngAndItsNumbersNpyAndCsv(@TempDir Path dir) throws Exception {
        Path run = trainedRun(dir);
        for (MapKind kind : MapKind.values()) {
            Path png = dir.resolve(kind.id() + ".png");
            CommandLineTest.Result r = CommandLineTest.run("render", run.toString(), "--map", kind.id(), "--epoch",
                    "last", "--out", png.toString());
            assertEquals(0, r.code(), r.err());
            BufferedImage img = ImageIO.read(png.toFile());
            if (kind.perClass()) {
                assertTrue(img.getWidth() >= 14 + 5 * (5 * 21 + 14), kind.id()); // wider where the title is
            } else {
                // one 12x5 panel, widened to the title
                assertTrue(img.getWidth() > 14 + 5 * 21 + 14 && img.getWidth() < 14 + 5 * (5 * 21 + 14), kind.id());
            }

            Path npy = dir.resolve(kind.id() + ".npy");
            assertEquals(0, CommandLineTest.run("render", run.toString(), "--map", kind.id(), "--epoch", "0",
                    "--format", "npy", "--out", npy.toString()).code());
            byte[] bytes = Files.readAllBytes(npy);
            String header = new String(bytes, 10, bytes[8] & 0xff, StandardCharsets.US_ASCII);
            assertTrue(header.contains("'shape': (" + kind.maps() + ", 1, 12, 5)"), header);
            assertEquals(10 + (bytes[8] & 0xff) + 4 * kind.maps() * 12 * 5, bytes.length);

            Path csv = dir.resolve(kind.id() + ".csv");
            assertEquals(0, CommandLineTest.run("render", run.toString(), "--map", kind.id(), "--epoch", "best",
                    "--format", "csv", "--out", csv.toString()).code());
            List<String> lines = Files.readAllLines(csv);
            assertEquals("map,layer,row,col,value", lines.get(0));
            assertEquals(1 + kind.maps() * 12 * 5, lines.size());
        }
        assertTrue(hasRedAndBlue(ImageIO.read(dir.resolve("weights.png").toFile())), "weights: diverging");
    }

    @Test
    void withoutOutTheFileIsNamedAfterTheMapAndEpoch(@TempDir Path dir) {
        Path run = trainedRun(dir);
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--map", "std", "--epoch", "1").code());
        assertTrue(Files.isRegularFile(run.resolve("maps-std-epoch-1.png")));
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--epoch", "1", "--format", "csv").code());
        assertTrue(Files.isRegularFile(run.resolve("maps-epoch-1.csv")));
    }

    @Test
    void anUnknownMapOrFormatOrAKindTheRunLacksIsABadOption(@TempDir Path dir) throws Exception {
        Path run = trainedRun(dir);
        CommandLineTest.Result map = CommandLineTest.run("render", run.toString(), "--map", "median");
        assertEquals(2, map.code());
        assertTrue(map.err().contains("--map must be one of mean, std, contrast, weights, biases"), map.err());
        CommandLineTest.Result format = CommandLineTest.run("render", run.toString(), "--format", "jpg");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("--format must be png, npy or csv"), format.err());
        Files.delete(run.resolve("heatmaps/contrast-epoch-00001.ngh"));   // as a run of an earlier version
        CommandLineTest.Result missing = CommandLineTest.run("render", run.toString(), "--map", "contrast",
                "--epoch", "1");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no contrast maps of epoch 1"), missing.err());
    }

    @Test
    void aMissingEpochOrScaleIsABadOptionWithExitCode2(@TempDir Path dir) {
        Path run = trainedRun(dir);
        CommandLineTest.Result missing = CommandLineTest.run("render", run.toString(), "--epoch", "99");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("no maps of epoch 99"), missing.err());
        CommandLineTest.Result scale = CommandLineTest.run("render", run.toString(), "--scale", "rainbow");
        assertEquals(2, scale.code());
        assertTrue(scale.err().contains("--scale must be viridis or diverging"), scale.err());
        assertTrue(!Files.exists(run.resolve("maps-epoch-99.png")));
    }

    private static boolean hasRedAndBlue(BufferedImage img) {
        boolean red = false, blue = false;
        for (int y = 60; y < img.getHeight() - 60; y++) {
            for (int x = 14; x < 14 + 105; x++) {
                int rgb = img.getRGB(x, y);
                int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
                red |= r > 200 && b < 150 && g < 150;
                blue |= b > 150 && r < 120;
            }
        }
        return red && blue;
    }
}
